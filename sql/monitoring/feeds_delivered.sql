-- feeds_delivered: the feeds with a current delivery dated in ($after, $as_of].
select distinct feed
from current_files
where delivery_date > $after and delivery_date <= $as_of
