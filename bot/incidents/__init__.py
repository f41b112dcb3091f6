"""Incident history in SQL: models, recording, grouping and queries."""
