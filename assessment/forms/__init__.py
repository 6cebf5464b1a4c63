"""The assessment app's forms, one module per part. Forms parse and keep what was typed; services decide."""
