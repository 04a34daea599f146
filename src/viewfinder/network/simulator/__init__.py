"""The network simulator: simulated people, their follow graph and a timeline of posts, user tags, likes,
comments, follows, direct messages and notifications bulk-written into the Sandbox network (`viewfinder network
simulate`), live activity, the demo."""
