"""The Sandbox network's Instagram Graph API: registered apps, OAuth (Instagram Login flavour), the Graph
endpoints and outgoing webhooks, in the shapes Instagram documents, over the network's own services."""
