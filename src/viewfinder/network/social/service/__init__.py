"""The rules of the network: `accounts` (sign-up, sign-in, tokens), `people` (profiles, follows, blocks) and
`posts` (posts, their media, hashtags and mentions). Services never commit: the request's unit of work does."""
