"""The Media node: posts, reels, stories and carousel children, and the User's media and stories edges."""
