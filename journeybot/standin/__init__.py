"""A local stand-in for Slack: a Web API server the bot's real WebClient talks to, and a signed-request sender
that plays Slack's side towards the bot's HTTP endpoint. Used by the tests and `journeybot demo`."""

from journeybot.standin.ids import Identity
from journeybot.standin.models import Call, Canvas, Delivery, ResponsePost, StoredFile
from journeybot.standin.sender import Response, SlackSender
from journeybot.standin.server import SlackStandIn

__all__ = [
    "Call",
    "Canvas",
    "Delivery",
    "Identity",
    "Response",
    "ResponsePost",
    "SlackSender",
    "SlackStandIn",
    "StoredFile",
]
