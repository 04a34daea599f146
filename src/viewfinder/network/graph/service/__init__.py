"""The Graph API's rules: apps and their secrets (more areas land with the OAuth server and the Graph)."""
