"""Operations: liveness and readiness checks, worker heartbeats, the `/metrics` endpoint.

What an operator and a load balancer ask of a running install.
"""
