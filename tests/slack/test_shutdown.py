"""A redeploy stops a replica: the request it is answering gets its answer, new ones find the port closed (a proxy
sends them to the other replica)."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from tests.conftest import FACILITATOR


def _refuses_connections(url: str) -> bool:
    address = urlsplit(url)
    try:
        socket.create_connection((address.hostname, address.port), timeout=1).close()
    except OSError:
        return True
    return False


def test_a_request_under_way_when_the_bot_stops_is_still_answered(slack):
    slow = slack.standin.hold("views.open")  # `/journey start` with no text opens the start form
    with ThreadPoolExecutor(2) as pool:
        command = pool.submit(slack.sender.command, "start", FACILITATOR, slack.channel_id)
        assert slack.standin.held_call_arrived("views.open").wait(10), "the command is under way"
        stopping = pool.submit(slack.server.stop, 1)
        while slack.server.accepting():  # the listening socket is closed first
            assert not stopping.done()
        assert _refuses_connections(slack.server.url), "a proxy would send new requests to another replica"
        slow.set()
        assert command.result(timeout=10).status == 200, "answered, not cut off"
        stopping.result(timeout=30)
    assert slack.standin.calls_to("views.open"), "the form was opened"
