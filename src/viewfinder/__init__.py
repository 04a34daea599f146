"""Viewfinder: publishing, insights, UGC and engagement for teams that run social accounts.

This package holds the whole product: the suite's domains, the Sandbox network, and their kernel (`kit`).
"""
