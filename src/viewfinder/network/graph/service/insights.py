"""Insights of accounts and media, computed from what happened on the network."""
