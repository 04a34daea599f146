"""Publishing: media containers fetched from their URLs, media_publish, and content_publishing_limit."""
