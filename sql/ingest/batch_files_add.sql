-- Each file of the batch: _file, file_id, path, delivery_date, version, loaded.
insert into _files values (?, ?, ?, ?, ?, ?)
