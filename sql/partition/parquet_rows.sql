-- parquet_rows: the rows of the Parquet files $files of a Dask run (models/partition.py), read as
-- written: a partition's folder name (part_sigungu=<code>) adds no column.
from read_parquet($files, hive_partitioning = false)
