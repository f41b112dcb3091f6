"""The weekly digest: figures, rendering, chart, exactly-once posting and the schedule."""
