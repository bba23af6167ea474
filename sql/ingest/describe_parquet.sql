-- The columns of a Parquet delivery.
describe select * from read_parquet($path)
