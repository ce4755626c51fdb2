"""Dagster orchestration of the pipeline (optional: `make setup-dagster`, docs/orchestration.md).

`nhi_warehouse.orchestration.definitions` is the code location: the raw delivery (validated) ->
the dbt project as assets (sources -> staging -> intermediate -> marts; dbt tests as asset checks)
-> mart validation -> publication, one job, a monthly schedule and a sensor on new deliveries.
"""
