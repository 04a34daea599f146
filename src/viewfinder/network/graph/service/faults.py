"""Faults on demand: errors, latency, rate limits, expired tokens and lost answers, per app or global."""
