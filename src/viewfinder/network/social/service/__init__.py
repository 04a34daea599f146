"""The rules of the network's people: `accounts` (sign-up, sign-in, tokens) and `people` (profiles, follows,
blocks). Services never commit: the request's unit of work does."""
