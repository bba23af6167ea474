-- forget_build: what feature_builds, feature_inputs and feature_signal_parts hold for the night
-- $as_of (a rebuild replaces it), and the signal parts of earlier months, which no later night
-- reads (features/reuse.py: record_build). One statement per `;`.
delete from feature_builds where as_of = $as_of;
delete from feature_inputs where as_of = $as_of;
delete from feature_signal_parts
where as_of = $as_of or as_of < date_trunc('month', $as_of::date);
