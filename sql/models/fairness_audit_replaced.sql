-- fairness_audit_replaced: the rows of one model's audit of $scope (and $night) a new audit
-- replaces (models/fairness.py).
delete from fairness_audit
where model_id = $model_id and scope = $scope and night is not distinct from $night
