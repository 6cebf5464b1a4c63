"""Every change to the assessment app's records, one module per part (rubrics, tasks, extensions, …)."""
