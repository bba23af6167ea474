-- snapshot: the stored household_features rows of one night ($as_of), as scorers and writers read
-- them (features/build.py: snapshot).
from household_features
where as_of = $as_of
