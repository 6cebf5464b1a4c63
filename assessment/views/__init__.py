"""The assessment app's pages, one module per part. Thin: ask the policy, call a service or selector, render."""
