"""Viewfinder."""
