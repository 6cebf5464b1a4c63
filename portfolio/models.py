"""Evidence, reflections and enquiries. Filled by a later issue."""
