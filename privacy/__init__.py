"""Data protection (UK GDPR): subject access exports and erasure after the retention period.
See docs/privacy.md."""
