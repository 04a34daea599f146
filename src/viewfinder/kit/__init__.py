"""The technical kernel: database, errors, pagination, ids, clock, security, storage, mail, HTTP, logging.

It imports no domain, so every domain can stand on it.
"""
