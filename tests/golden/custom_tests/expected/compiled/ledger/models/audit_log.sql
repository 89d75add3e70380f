
-- built by model.ledger.audit_log (table, delta)
select 'audit_log' as model_name,
       'ledger' as package,
       1 as n_tags,
       'ledger.audit_log' as fqn,
       'models/audit_log.sql' as path,
       'model.ledger.balances' as parents,
       'Who built what in the ledger' as description,
       'Name of the model (from docs.md)' as name_description
from ledger.balances
-- rendered for model audit_log
-- unique_key: config.get None, model.config.get dflt, docs {'show': True}
-- persist docs: relation True, columns False