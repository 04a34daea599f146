"""Webhooks out: subscriptions, the verify handshake, signed and batched deliveries retried with backoff."""
