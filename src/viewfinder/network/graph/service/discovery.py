"""business_discovery, tags, mentioned_media and mentioned_comment: media of and about other accounts."""
