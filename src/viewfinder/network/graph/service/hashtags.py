"""Hashtags: ig_hashtag_search with its weekly quota, the Hashtag node, recent_media and top_media."""
