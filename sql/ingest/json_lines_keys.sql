-- The union of the keys of a JSON Lines delivery's objects: its header.
select distinct unnest(json_keys(json)) from _json_lines
