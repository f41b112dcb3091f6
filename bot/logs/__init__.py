"""Live service logs: sources (Azure ML SDK v1 and v2), policy, diagnosis."""
