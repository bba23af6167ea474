"""sagak: shared settings and small helpers used by every stage."""
