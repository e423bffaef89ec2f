"""The Socket Mode stand-in speaks the protocol as Slack does, seen from a bare WebSocket client: the URL comes
from `apps.connections.open` with the app-level token only, `hello` comes first, acks are matched to their
envelopes with their latency, a refresh says `disconnect` and later closes with a close frame, a cut sends none."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from journeybot.standin import SlackStandIn
from journeybot.standin.socket_mode import ACK_LIMIT, SocketModeServer


@pytest.fixture
def socket_mode() -> Iterator[SocketModeServer]:
    with SlackStandIn() as standin, SocketModeServer(standin, refresh_grace=0.2) as server:
        yield server


def _url(server: SocketModeServer) -> str:
    assert server.standin is not None
    return WebClient(base_url=server.standin.api_url).apps_connections_open(app_token=server.app_token)["url"]


def _hello(client: ClientConnection) -> dict:
    return json.loads(client.recv(timeout=5))


def test_apps_connections_open_takes_the_app_token_only(socket_mode: SocketModeServer) -> None:
    standin = socket_mode.standin
    assert standin is not None
    url = WebClient(base_url=standin.api_url).apps_connections_open(app_token=socket_mode.app_token)["url"]
    assert url.startswith("ws://127.0.0.1:") and "/link/?ticket=" in url
    with pytest.raises(SlackApiError) as refused:
        WebClient(base_url=standin.api_url).apps_connections_open(app_token=standin.bot_token)
    assert refused.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(InvalidStatus), connect(url.replace("ticket=", "ticket=forged-"), open_timeout=5):
        pass


def test_hello_then_envelopes_whose_acks_are_timed(socket_mode: SocketModeServer) -> None:
    with connect(_url(socket_mode), open_timeout=5) as client:
        _exchange(socket_mode, client)


def _exchange(socket_mode: SocketModeServer, client: ClientConnection) -> None:
    hello = _hello(client)
    assert hello["type"] == "hello" and hello["num_connections"] == 1
    assert hello["connection_info"]["app_id"] == socket_mode.identity.app_id

    envelope = socket_mode.send("slash_commands", {"command": "/journey", "text": "help"})
    frame = json.loads(client.recv(timeout=5))
    assert frame == {
        "envelope_id": envelope.envelope_id,
        "payload": {"command": "/journey", "text": "help"},
        "type": "slash_commands",
        "accepts_response_payload": True,
    }
    client.send(json.dumps({"envelope_id": envelope.envelope_id, "payload": {"text": "hi"}}))
    assert socket_mode.wait_ack(envelope, timeout=5)
    assert envelope.on_time and envelope.latency is not None and envelope.latency < ACK_LIMIT
    assert envelope.ack_payload == {"text": "hi"}
    client.send(json.dumps({"envelope_id": envelope.envelope_id}))  # a second ack
    assert socket_mode.wait_until(lambda: len(socket_mode.stray_acks) == 1, timeout=5)


def test_a_refresh_says_disconnect_then_closes_with_a_close_frame(socket_mode: SocketModeServer) -> None:
    with connect(_url(socket_mode), open_timeout=5) as client:
        _hello(client)
        told = socket_mode.refresh()
        assert json.loads(client.recv(timeout=5))["reason"] == "refresh_requested"
        with pytest.raises(ConnectionClosed) as closed:
            client.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000
    assert socket_mode.wait_closed(told[0]) and socket_mode.connection(told[0]).closed_by == "server"


@pytest.mark.parametrize("how", ["reset", "drop"])
def test_a_cut_sends_no_close_frame(socket_mode: SocketModeServer, how: str) -> None:
    with connect(_url(socket_mode), open_timeout=5) as client:
        _hello(client)
        assert socket_mode.cut(how=how) and socket_mode.open_connections == 0
        with pytest.raises(ConnectionClosed) as closed:
            client.recv(timeout=5)
    assert closed.value.rcvd is None
    envelope = socket_mode.send("events_api", {"type": "event_callback", "event_id": "Ev0001"})
    assert envelope.connection is None, "with no connection open, Slack holds the envelope for the next one"
    with connect(_url(socket_mode), open_timeout=5) as client:
        _hello(client)
        assert json.loads(client.recv(timeout=5))["envelope_id"] == envelope.envelope_id
