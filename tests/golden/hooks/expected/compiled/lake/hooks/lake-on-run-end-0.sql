analyze tables in lake compute statistics noscan;
analyze tables in lake_marts compute statistics noscan;
analyze tables in snapshots compute statistics noscan
