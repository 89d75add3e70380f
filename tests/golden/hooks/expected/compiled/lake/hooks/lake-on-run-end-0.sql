analyze tables in lake;
analyze tables in lake_marts;
analyze tables in snapshots
