-- Each file of the batch by `_file`: its lineage and whether it loads.
create or replace temp table _files (
    _file integer,
    file_id varchar,
    path varchar,
    delivery_date date,
    version integer,
    loaded boolean
)
