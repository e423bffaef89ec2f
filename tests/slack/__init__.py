"""End to end: signed requests to the bot's real endpoint, Web API calls to the stand-in."""
