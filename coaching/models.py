"""Initial diagnosis, dialogue logs, action steps and learning opportunities. Filled by a later issue."""
