import pyspark.sql.functions as F


def model(dbt, session):
    dbt.config(materialized="table")
    orders = dbt.ref("stg_orders")
    return orders.withColumn("loaded_at", F.current_timestamp())
