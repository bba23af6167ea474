"""Night-over-night monitoring: broken extracts, drift, list stability, live quality, alerts."""
