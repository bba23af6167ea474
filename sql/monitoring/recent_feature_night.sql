-- recent_feature_night: the latest stored feature snapshot before $as_of, from $since on.
select max(as_of) as night
from household_features
where as_of < $as_of and as_of >= $since
