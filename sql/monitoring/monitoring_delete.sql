-- monitoring_delete: forget the rows of $stage on $night (store_findings replaces them).
delete from monitoring where night = $night and stage = $stage
