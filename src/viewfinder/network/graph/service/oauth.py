"""The OAuth server: consent, authorisation codes, short-lived and long-lived tokens, refresh, revocation."""
