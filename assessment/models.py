"""Assessment tasks, submissions, marking, moderation and credits. Filled by a later issue."""
