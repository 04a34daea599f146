"""The network's social graph: people and their accounts, profiles, follows and follow requests, blocks;
later their posts, comments, likes and feed."""
