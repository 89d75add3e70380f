-- relation is a mapping: True, metadata type: SparkRelation, schema: ledger
-- <SparkColumn account_id (bigint)> quoted `account_id` string False number True integer True numeric False literal cast('1' as bigint)
-- <SparkColumn note (varchar)> quoted `note` string True number False integer False numeric False literal cast('1' as varchar)
-- <SparkColumn balance (decimal(18,2))> quoted `balance` string False number False integer False numeric False literal cast('1' as decimal(18,2))
-- expandable: True / False, note size 256
select `account_id`, `note`, `balance` from ledger.balances