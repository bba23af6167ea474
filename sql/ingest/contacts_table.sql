-- The contacts store's one table: contact details of registry rows that loaded, by file.
create table if not exists contacts (
    person_key varchar,
    household_key varchar,
    name varchar,
    phone varchar,
    address varchar,
    file_id varchar,
    delivery_date date
);
