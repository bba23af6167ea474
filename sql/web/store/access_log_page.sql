-- access_log_page: access log rows, newest first, :limit of them with id below :before (keyset
-- paging); only :action and targets starting with :target_prefix when given (NULL: all).
select id, at, username, role, action, target, night, detail, client
from access_log
where (:before is null or id < :before)
  and (:action is null or action = :action)
  and (:target_prefix is null or substr(target, 1, length(:target_prefix)) = :target_prefix)
order by id desc
limit :limit
