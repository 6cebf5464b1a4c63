"""The assessment app's reads, one module per part."""
