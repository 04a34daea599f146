"""Messages through the Graph: conversations, their messages, and sending in the 24-hour window."""
