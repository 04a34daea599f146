"""Comments through the Graph: list, create, replies, hide and delete."""
