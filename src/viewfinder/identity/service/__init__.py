"""The rules of identity, one module per area; other domains call these (audit.record above all)."""
