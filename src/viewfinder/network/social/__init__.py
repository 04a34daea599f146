"""The network's social graph: people and their accounts, profiles, follows and follow requests, blocks, and
their posts (images, carousels, hashtags, mentions); later comments, likes and the feed."""
