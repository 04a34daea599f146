"""The network simulator: simulated people, their follow graph and a timeline of posts, likes, comments, follows
and notifications bulk-written into the Sandbox network (`viewfinder network simulate`), live activity, the demo."""
