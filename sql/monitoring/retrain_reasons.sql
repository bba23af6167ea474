-- retrain_reasons: why the model stage asks for retraining on $as_of: its critical findings of
-- the $checks, and the features (not the $seasonal ones) whose PSI passes $psi_critical.
select message
from monitoring
where night = $as_of and stage = 'model'
  and ((severity = 'critical' and list_contains($checks, check_name))
       or (check_name = 'feature_psi_validation' and value > $psi_critical
           and not list_contains($seasonal, subject)))
order by check_name, subject
