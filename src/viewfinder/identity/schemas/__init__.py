"""Request and response models of identity, one module per area."""
