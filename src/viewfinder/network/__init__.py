"""The Sandbox network: an Instagram-like social network with its own people, sign-in and API, mounted at
`/network`. It never imports the suite's domains, nor they it: the two talk over HTTP."""
