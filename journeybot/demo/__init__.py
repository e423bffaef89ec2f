"""`journeybot demo`: a scripted team plays a whole workshop against the bot over the local Slack stand-in."""
