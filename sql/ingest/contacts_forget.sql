-- An earlier try of the batch's loaded files leaves the contacts store ({store}).
delete from {store}.contacts where file_id in (select file_id from _files where loaded)
