"""The local Slack stand-in answers the real slack_sdk WebClient the way Slack does, and its sender signs
requests the way Slack does, so the bot's tests and `journeybot demo` exercise the bot's real Slack code."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from journeybot.standin import SlackSender, SlackStandIn

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "slack" / "samples"
SIGNING_SECRET = "standin-signing-secret-0123456789"
CHANNEL = "C0JOURNEY1"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        server.add_user("U0ANN00001", "ann", "Ann Archer", display_name="ann")
        server.add_user("U0BOB00001", "bob", "Bob Baker", tz="America/New_York")
        server.add_channel(CHANNEL, "journey-mapping", members=["U0ANN00001", "U0BOB00001"])
        yield server


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.api_url)


def error_of(call: Any, **kwargs: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call(**kwargs)
    return raised.value.response["error"]


class Receiver:
    """A bot endpoint reduced to what these tests need: verify Slack's signature, keep what arrived."""

    def __init__(self, handle: Any = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.verifier = SignatureVerifier(SIGNING_SECRET)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {key.lower(): value for key, value in self.headers.items()}
                valid = receiver.verifier.is_valid_request(body, headers)
                receiver.requests.append({"body": body, "headers": headers, "valid": valid})
                status, answer = (200, b"") if valid else (401, b"invalid signature")
                if valid and handle is not None:
                    status, answer = handle(body, headers)
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def events(self) -> list[dict[str, Any]]:
        return [
            json.loads(r["body"])["event"]
            for r in self.requests
            if r["headers"]["content-type"].startswith("application/json")
        ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


# --- Web API ----------------------------------------------------------------------------------------------


def test_auth_test_names_the_app(standin: SlackStandIn, client: WebClient) -> None:
    answer = client.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == (
        standin.team_id,
        standin.bot_user_id,
        standin.bot_id,
    )


def test_post_message_answers_like_slack(standin: SlackStandIn, client: WebClient) -> None:
    metadata = {"event_type": "journeybot_step", "event_payload": {"workshop_id": 1, "step": "objective"}}
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Objective*"}}]
    first = client.chat_postMessage(channel=CHANNEL, text="Objective", blocks=blocks, metadata=metadata)
    second = client.chat_postMessage(channel="#journey-mapping", text="again")

    assert first["channel"] == second["channel"] == CHANNEL
    assert first["ts"].count(".") == 1 and len(first["ts"].split(".")[1]) == 6
    assert float(second["ts"]) > float(first["ts"])
    message = first["message"]
    assert (message["user"], message["bot_id"], message["text"]) == (
        standin.bot_user_id,
        standin.bot_id,
        "Objective",
    )
    assert message["metadata"] == metadata
    assert message["blocks"][0]["text"]["text"] == "*Objective*" and message["blocks"][0]["block_id"]
    assert [m["text"] for m in standin.messages(CHANNEL)] == ["Objective", "again"]


def test_a_held_answer_comes_after_the_call_is_done(standin: SlackStandIn, client: WebClient) -> None:
    answer = standin.hold_answer("chat.postMessage", lambda params: params.get("text") == "slow")
    client.chat_postMessage(channel=CHANNEL, text="fast")  # not matching: answered at once
    answered = threading.Event()
    threading.Thread(target=lambda: client.chat_postMessage(channel=CHANNEL, text="slow") and answered.set()).start()

    assert standin.held_call_arrived("chat.postMessage").wait(5)
    assert [m["text"] for m in standin.messages(CHANNEL)] == ["fast", "slow"], "Slack has the message already"
    assert not answered.is_set()
    answer.set()
    assert answered.wait(5)


def test_thread_replies_paginate_with_the_parent_first(standin: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="Who is the customer?")["ts"]
    for index in range(5):
        reply = client.chat_postMessage(channel=CHANNEL, text=f"reply {index}", thread_ts=parent)
        assert reply["message"]["thread_ts"] == parent

    seen: list[str] = []
    cursor = None
    while True:
        page = client.conversations_replies(channel=CHANNEL, ts=parent, limit=3, cursor=cursor)
        assert page["messages"][0]["ts"] == parent
        seen += [m["text"] for m in page["messages"][1:]]
        if not page["has_more"]:
            break
        cursor = page["response_metadata"]["next_cursor"]
    assert seen == [f"reply {index}" for index in range(5)]
    assert client.conversations_replies(channel=CHANNEL, ts=parent)["messages"][0]["reply_count"] == 5
    assert error_of(client.conversations_replies, channel=CHANNEL, ts="1.000001") == "thread_not_found"
    assert error_of(client.conversations_replies, channel=CHANNEL, ts=parent, cursor="bogus") == "invalid_cursor"


def test_updates_and_deletes_show_in_the_thread(standin: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="Touchpoints")["ts"]
    keep = client.chat_postMessage(channel=CHANNEL, text="draft", thread_ts=parent)["ts"]
    gone = client.chat_postMessage(channel=CHANNEL, text="mistake", thread_ts=parent)["ts"]

    updated = client.chat_update(channel=CHANNEL, ts=keep, text="final")
    client.chat_delete(channel=CHANNEL, ts=gone)
    assert updated["text"] == "final" and updated["message"]["edited"]["user"] == standin.bot_user_id
    assert [m["text"] for m in standin.thread(CHANNEL, parent)] == ["Touchpoints", "final"]
    assert standin.thread(CHANNEL, parent)[0]["reply_count"] == 1

    client.chat_delete(channel=CHANNEL, ts=parent)  # a parent with replies leaves a tombstone, as in Slack
    assert [m.get("subtype") for m in standin.messages(CHANNEL)] == ["tombstone"]
    assert error_of(client.chat_update, channel=CHANNEL, ts=gone, text="x") == "message_not_found"


def test_bot_cannot_edit_peoples_messages(standin: SlackStandIn, client: WebClient) -> None:
    ts = standin.post_user_message(CHANNEL, "U0ANN00001", "my idea")["ts"]
    assert error_of(client.chat_update, channel=CHANNEL, ts=ts, text="x") == "cant_update_message"
    assert error_of(client.chat_delete, channel=CHANNEL, ts=ts) == "cant_delete_message"


def test_history_is_newest_first_and_metadata_only_on_request(client: WebClient) -> None:
    metadata = {"event_type": "journeybot_step", "event_payload": {"step": "persona"}}
    client.chat_postMessage(channel=CHANNEL, text="one", metadata=metadata)
    parent = client.chat_postMessage(channel=CHANNEL, text="two")["ts"]
    client.chat_postMessage(channel=CHANNEL, text="in thread", thread_ts=parent)

    plain = client.conversations_history(channel=CHANNEL)["messages"]
    assert [m["text"] for m in plain] == ["two", "one"]
    assert "metadata" not in plain[1]
    full = client.conversations_history(channel=CHANNEL, include_all_metadata=True)["messages"]
    assert full[1]["metadata"] == metadata
    first_page = client.conversations_history(channel=CHANNEL, limit=1)
    assert first_page["has_more"] and [m["text"] for m in first_page["messages"]] == ["two"]


def test_users_info_has_the_samples_shape(client: WebClient) -> None:
    sample = json.loads((SAMPLES / "api.users.info.json").read_text())["user"]
    user = client.users_info(user="U0BOB00001")["user"]
    assert set(user) <= set(sample) | {"locale"}
    assert set(user["profile"]) <= set(sample["profile"])
    assert (user["real_name"], user["tz"], user["tz_offset"] in (-18000, -14400)) == (
        "Bob Baker",
        "America/New_York",
        True,
    )
    assert user["profile"]["display_name"] == "" and user["is_bot"] is False
    assert client.users_info(user="U0ANN00001")["user"]["profile"]["display_name"] == "ann"
    assert error_of(client.users_info, user="U0NOBODY01") == "user_not_found"


def test_conversations_info_members_open_and_permalink(standin: SlackStandIn, client: WebClient) -> None:
    info = client.conversations_info(channel=CHANNEL, include_num_members=True)["channel"]
    assert (info["name"], info["is_member"], info["num_members"]) == ("journey-mapping", True, 3)
    members = client.conversations_members(channel=CHANNEL, limit=2)
    rest = client.conversations_members(channel=CHANNEL, cursor=members["response_metadata"]["next_cursor"])
    assert members["members"] + rest["members"] == ["U0ANN00001", "U0BOB00001", standin.bot_user_id]

    dm = client.conversations_open(users="U0ANN00001")["channel"]["id"]
    assert dm.startswith("D") and client.conversations_open(users="U0ANN00001")["already_open"]
    posted = client.chat_postMessage(channel="U0ANN00001", text="hello")  # posting to a user id goes to the DM
    assert posted["channel"] == dm

    parent = client.chat_postMessage(channel=CHANNEL, text="p")["ts"]
    reply = client.chat_postMessage(channel=CHANNEL, text="r", thread_ts=parent)["ts"]
    link = client.chat_getPermalink(channel=CHANNEL, message_ts=reply)["permalink"]
    assert link.endswith(f"/archives/{CHANNEL}/p{reply.replace('.', '')}?thread_ts={parent}&cid={CHANNEL}")


def test_reactions_and_ephemerals(standin: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="vote")["ts"]
    client.reactions_add(channel=CHANNEL, timestamp=ts, name="thumbsup")
    assert error_of(client.reactions_add, channel=CHANNEL, timestamp=ts, name="thumbsup") == "already_reacted"
    assert standin.messages(CHANNEL)[0]["reactions"] == [
        {"name": "thumbsup", "users": [standin.bot_user_id], "count": 1}
    ]
    client.reactions_remove(channel=CHANNEL, timestamp=ts, name="thumbsup")
    assert "reactions" not in standin.messages(CHANNEL)[0]
    assert error_of(client.reactions_remove, channel=CHANNEL, timestamp=ts, name="thumbsup") == "no_reaction"

    answer = client.chat_postEphemeral(channel=CHANNEL, user="U0ANN00001", text="only you")
    assert answer["message_ts"] and standin.ephemerals[0]["user"] == "U0ANN00001"
    standin.add_user("U0CAROL001", "carol", "Carol Chen")
    assert error_of(client.chat_postEphemeral, channel=CHANNEL, user="U0CAROL001", text="x") == "user_not_in_channel"
    assert standin.messages(CHANNEL)[0]["text"] == "vote"  # ephemerals never enter the channel


def test_files_upload_v2_end_to_end(standin: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="The map")["ts"]
    content = b"# Journey map\n\n| stage | pain |\n" + bytes(range(256))
    answer = client.files_upload_v2(
        channel=CHANNEL,
        file=content,
        filename="journey-map.md",
        title="Journey map",
        initial_comment="Here is the map",
        thread_ts=parent,
    )

    file_id = answer["file"]["id"]
    assert standin.file_content(file_id) == content
    [stored] = standin.files
    assert (stored.name, stored.title, stored.channel, stored.thread_ts) == (
        "journey-map.md",
        "Journey map",
        CHANNEL,
        parent,
    )
    [share] = standin.thread(CHANNEL, parent)[1:]
    assert (share["subtype"], share["text"], share["files"][0]["id"]) == (
        "file_share",
        "Here is the map",
        file_id,
    )
    assert [c.method for c in standin.calls][-2:] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]

    download = answer["file"]["url_private_download"]
    request = urllib.request.Request(download, headers={"Authorization": f"Bearer {standin.bot_token}"})
    with urllib.request.urlopen(request) as fetched:
        assert fetched.read() == content
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(download)


def test_canvases_keep_markdown(standin: SlackStandIn, client: WebClient) -> None:
    created = client.canvases_create(
        title="Journey map", document_content={"type": "markdown", "markdown": "# Map\n"}, channel_id=CHANNEL
    )
    client.canvases_edit(
        canvas_id=created["canvas_id"],
        changes=[{"operation": "insert_at_end", "document_content": {"type": "markdown", "markdown": "more\n"}}],
    )
    canvas = standin.canvases[created["canvas_id"]]
    assert (canvas.title, canvas.markdown, canvas.channel_id) == ("Journey map", "# Map\nmore\n", CHANNEL)
    assert error_of(client.canvases_edit, canvas_id="F0NOPE0001", changes=[]) == "canvas_not_found"


# --- Slack's limits ---------------------------------------------------------------------------------------


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"text": "x", "blocks": [{"type": "divider"}] * 51}, "invalid_blocks"),
        ({"text": "x", "blocks": [section("a" * 3001)]}, "invalid_blocks"),
        (
            {"text": "x", "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]},
            "invalid_blocks",
        ),
        ({"text": "x", "blocks": [{"type": "no_such_block"}]}, "invalid_blocks"),
        ({"text": "x", "blocks": [{"type": "section"}]}, "invalid_blocks"),  # validate_json: text or fields
        ({"text": "x", "blocks": [section("")]}, "invalid_blocks"),
        ({"text": "x", "blocks": [section("b" * 2900)] * 5}, "msg_blocks_too_long"),
        pytest.param({"text": ""}, "no_text", marks=pytest.mark.filterwarnings("ignore:The top-level")),
        ({"channel": "C0NOWHERE1", "text": "x"}, "channel_not_found"),
        ({"text": "x", "thread_ts": "1600000000.000100"}, "thread_not_found"),
        ({"text": "x", "metadata": {"event_type": "journeybot_step"}}, "invalid_metadata_format"),
    ],
)
def test_limits_answer_slacks_errors(client: WebClient, kwargs: dict[str, Any], error: str) -> None:
    assert error_of(client.chat_postMessage, **{"channel": CHANNEL, **kwargs}) == error


def test_limits_apply_to_updates_too(client: WebClient) -> None:
    ts = client.chat_postMessage(channel=CHANNEL, text="x")["ts"]
    assert (
        error_of(client.chat_update, channel=CHANNEL, ts=ts, text="x", blocks=[section("c" * 3001)]) == "invalid_blocks"
    )


def test_long_text_is_truncated_not_refused(standin: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel=CHANNEL, text="x" * 45_000)
    assert len(standin.messages(CHANNEL)[0]["text"]) == 40_000


def test_not_in_channel(standin: SlackStandIn, client: WebClient) -> None:
    standin.add_channel("C0ELSEWHR1", "elsewhere", members=["U0ANN00001"], bot_member=False)
    assert error_of(client.chat_postMessage, channel="C0ELSEWHR1", text="x") == "not_in_channel"


# --- authentication and faults ----------------------------------------------------------------------------


def test_authentication_and_unknown_methods(standin: SlackStandIn) -> None:
    assert error_of(WebClient(base_url=standin.api_url).auth_test) == "not_authed"
    assert error_of(WebClient(token="xoxb-wrong", base_url=standin.api_url).auth_test) == "invalid_auth"
    with pytest.raises(SlackApiError) as raised:
        WebClient(token=standin.bot_token, base_url=standin.api_url).api_call("chat.noSuchThing")
    assert raised.value.response.status_code == 200
    assert raised.value.response.data == {"ok": False, "error": "unknown_method"}


def test_rate_limit_is_a_429_with_retry_after(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=CHANNEL, text="x")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert standin.messages(CHANNEL) == []


def test_rate_limit_is_retried_by_the_retry_handler(standin: SlackStandIn, client: WebClient) -> None:
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    standin.fail_next("chat.postMessage", retry_after=0, times=2)
    assert client.chat_postMessage(channel=CHANNEL, text="made it")["ok"]
    assert [call.status for call in standin.calls_to("chat.postMessage")] == [429, 429, 200]
    assert [m["text"] for m in standin.messages(CHANNEL)] == ["made it"]


def test_generic_errors_and_server_errors(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("chat.update", error="internal_error", status=200)
    standin.fail_next("users.info", error="internal_error", status=500)
    assert error_of(client.chat_update, channel=CHANNEL, ts="1.1", text="x") == "internal_error"
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U0ANN00001")
    assert raised.value.response.status_code == 500
    assert client.users_info(user="U0ANN00001")["ok"]  # only the next call fails


def test_transcript_never_holds_the_token_or_signing_secret(
    standin: SlackStandIn, client: WebClient, tmp_path: Path
) -> None:
    SlackSender("http://127.0.0.1:9/unused", SIGNING_SECRET, standin=standin)
    client.chat_postMessage(channel=CHANNEL, text=f"oops {standin.bot_token} {SIGNING_SECRET}")
    client.api_call("auth.test", params={"token": standin.bot_token})  # token as a form field
    path = standin.write_transcript(tmp_path / "transcript.jsonl")

    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["method"] for line in lines] == ["chat.postMessage", "auth.test"]
    assert "token" not in lines[1]["params"]
    text = path.read_text()
    assert standin.bot_token not in text and SIGNING_SECRET not in text


# --- the sender -------------------------------------------------------------------------------------------


def test_sender_signs_like_slack(standin: SlackStandIn, receiver: Receiver) -> None:
    sender = SlackSender(receiver.url, SIGNING_SECRET, standin=standin)
    assert sender.command("start Onboarding", "U0ANN00001", CHANNEL).status == 200
    ts = sender.message(CHANNEL, "U0BOB00001", "a reply")
    sender.event(
        {"type": "app_mention", "user": "U0ANN00001", "text": "hi", "channel": CHANNEL},
        event_id="Ev1",
        retry_num=1,
    )
    sender.interaction({"type": "shortcut", "callback_id": "start"})
    assert sender.url_verification("challenge-123").status == 200
    assert all(request["valid"] for request in receiver.requests)

    command = {
        key: values[0]
        for key, values in parse_qs(receiver.requests[0]["body"].decode(), keep_blank_values=True).items()
    }
    assert set(command) == set(json.loads((SAMPLES / "SlashCommandPayload.json").read_text()))
    assert (command["command"], command["text"], command["channel_name"]) == (
        "/journey",
        "start Onboarding",
        "journey-mapping",
    )
    assert command["response_url"].startswith(f"{standin.base_url}/response_url/")

    envelope = json.loads(receiver.requests[1]["body"])
    assert envelope["type"] == "event_callback" and envelope["event"]["ts"] == ts
    assert envelope["authorizations"][0]["user_id"] == standin.bot_user_id
    assert envelope["event"]["channel_type"] == "channel" and standin.messages(CHANNEL)[0]["text"] == "a reply"
    retried = receiver.requests[2]
    assert json.loads(retried["body"])["event_id"] == "Ev1"
    assert (retried["headers"]["x-slack-retry-num"], retried["headers"]["x-slack-retry-reason"]) == (
        "1",
        "http_timeout",
    )
    assert json.loads(parse_qs(receiver.requests[3]["body"].decode())["payload"][0])["type"] == "shortcut"
    assert json.loads(receiver.requests[4]["body"])["challenge"] == "challenge-123"


def test_event_ids_are_unique_per_call(receiver: Receiver) -> None:
    sender = SlackSender(receiver.url, SIGNING_SECRET)
    sender.message(CHANNEL, "U0ANN00001", "one")
    sender.message(CHANNEL, "U0ANN00001", "two")
    ids = [json.loads(r["body"])["event_id"] for r in receiver.requests]
    assert len(set(ids)) == 2


def test_bad_signatures_can_be_sent_on_purpose(receiver: Receiver) -> None:
    sender = SlackSender(receiver.url, SIGNING_SECRET)
    body = b'{"type": "event_callback"}'
    assert sender.post_raw(body, {"Content-Type": "application/json"}).status == 401
    wrong = SlackSender(receiver.url, "not-the-secret").signed_headers(body)
    assert sender.post_raw(body, wrong).status == 401
    stale = sender.signed_headers(body, timestamp=int(time.time()) - 600)
    assert sender.post_raw(body, stale).status == 401
    assert sender.post_raw(body, sender.signed_headers(body)).status == 200


def test_edits_deletes_and_reactions_by_people(standin: SlackStandIn, receiver: Receiver) -> None:
    sender = SlackSender(receiver.url, SIGNING_SECRET, standin=standin)
    parent = WebClient(token=standin.bot_token, base_url=standin.api_url).chat_postMessage(
        channel=CHANNEL, text="Pain points"
    )["ts"]
    reply = sender.message(CHANNEL, "U0ANN00001", "slow onboarding", thread_ts=parent)
    sender.message_changed(CHANNEL, reply, "[ticket] slow onboarding")
    sender.reaction_added(CHANNEL, reply, "U0BOB00001", "+1")
    with pytest.raises(ValueError):
        sender.message_deleted(CHANNEL, reply, user="U0BOB00001")  # only the author deletes

    changed, reaction = receiver.events()[1:]
    assert (changed["subtype"], changed["message"]["text"], changed["previous_message"]["text"]) == (
        "message_changed",
        "[ticket] slow onboarding",
        "slow onboarding",
    )
    assert changed["message"]["thread_ts"] == parent
    assert (reaction["type"], reaction["item"]["ts"], reaction["item_user"]) == (
        "reaction_added",
        reply,
        "U0ANN00001",
    )

    sender.message_deleted(CHANNEL, reply)
    assert receiver.events()[-1]["subtype"] == "message_deleted"
    assert [m["text"] for m in standin.thread(CHANNEL, parent)] == ["Pain points"]


def test_events_echo_back_with_bot_id(standin: SlackStandIn, client: WebClient, receiver: Receiver) -> None:
    standin.deliver_events_to(SlackSender(receiver.url, SIGNING_SECRET, standin=standin))
    posted = client.chat_postMessage(channel=CHANNEL, text="Step 1")["ts"]
    client.files_upload_v2(channel=CHANNEL, content="x", filename="m.md", initial_comment="the map", thread_ts=posted)
    client.chat_update(channel=CHANNEL, ts=posted, text="Step 1 (closed)")
    assert standin.wait_idle(timeout=5)

    message, share, changed = receiver.events()
    assert (message["user"], message["bot_id"], message["app_id"]) == (
        standin.bot_user_id,
        standin.bot_id,
        standin.app_id,
    )
    assert "subtype" not in message and message["ts"] == posted
    assert (share["subtype"], share["bot_id"], share["text"], share["thread_ts"]) == (
        "file_share",
        standin.bot_id,
        "the map",
        posted,
    )
    assert (changed["subtype"], changed["message"]["bot_id"]) == ("message_changed", standin.bot_id)
    assert all(delivery.status == 200 for delivery in standin.deliveries)


def test_echo_follows_the_apps_subscriptions(standin: SlackStandIn, client: WebClient, receiver: Receiver) -> None:
    sender = SlackSender(receiver.url, SIGNING_SECRET, standin=standin)
    standin.deliver_events_to(sender, subscriptions={"message.channels"})
    ts = client.chat_postMessage(channel=CHANNEL, text="in channel")["ts"]
    client.reactions_add(channel=CHANNEL, timestamp=ts, name="eyes")
    client.chat_postMessage(channel="U0ANN00001", text="in a DM")
    assert standin.wait_idle(timeout=5)
    assert [event["text"] for event in receiver.events()] == ["in channel"]


def test_response_url_and_modals(standin: SlackStandIn, client: WebClient, receiver: Receiver) -> None:
    sender = SlackSender(receiver.url, SIGNING_SECRET, standin=standin)
    sender.command("", "U0ANN00001", CHANNEL)
    fields = parse_qs(receiver.requests[0]["body"].decode())
    response_url, trigger_id = fields["response_url"][0], fields["trigger_id"][0]

    assert WebhookClient(response_url).send(text="only you").status_code == 200
    WebhookClient(response_url).send(text="everyone", response_type="in_channel")
    assert [post.payload["text"] for post in standin.responses] == ["only you", "everyone"]
    assert standin.ephemerals[0]["text"] == "only you" and standin.messages(CHANNEL)[0]["text"] == "everyone"
    assert WebhookClient(response_url).send(text="x", blocks=[section("d" * 3001)]).status_code == 400

    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Start"},
        "blocks": [section("Objective?")],
    }
    view = client.views_open(trigger_id=trigger_id, view=modal)["view"]
    assert view["id"].startswith("V") and standin.modal_stack("U0ANN00001")[0]["id"] == view["id"]
    assert error_of(client.views_open, trigger_id="123.456.nope", view=modal) == "invalid_trigger_id"
    too_long = {**modal, "title": {"type": "plain_text", "text": "t" * 25}}
    assert error_of(client.views_open, trigger_id=trigger_id, view=too_long) == "invalid_arguments"
    sender.view_submission(view["id"], "U0ANN00001", {"b": {"a": {"type": "plain_text_input", "value": "Onboarding"}}})
    assert standin.modal_stack("U0ANN00001") == []  # an empty ack closes the modal


def test_block_actions_and_replacing_the_original(standin: SlackStandIn, client: WebClient) -> None:
    def answer_with_replace(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        payload = json.loads(parse_qs(body.decode())["payload"][0])
        WebhookClient(payload["response_url"]).send(text="Voted", replace_original=True)
        return 200, b""

    endpoint = Receiver(answer_with_replace)
    try:
        button = {
            "type": "button",
            "action_id": "vote",
            "value": "pp-1",
            "text": {"type": "plain_text", "text": "+1"},
        }
        blocks = [section("Pain point"), {"type": "actions", "block_id": "votes", "elements": [button]}]
        ts = client.chat_postMessage(channel=CHANNEL, text="Pain point", blocks=blocks)["ts"]
        sender = SlackSender(endpoint.url, SIGNING_SECRET, standin=standin)
        assert sender.block_action("U0BOB00001", "vote", channel_id=CHANNEL, message_ts=ts).status == 200
    finally:
        endpoint.close()

    payload = json.loads(parse_qs(endpoint.requests[0]["body"].decode())["payload"][0])
    sample = json.loads((SAMPLES / "BlockActionPayload.json").read_text())
    assert set(payload) <= set(sample) and payload["type"] == "block_actions"
    assert payload["actions"][0] | {"action_ts": ""} == {
        "action_id": "vote",
        "block_id": "votes",
        "type": "button",
        "value": "pp-1",
        "text": button["text"],
        "action_ts": "",
    }
    assert (payload["container"]["message_ts"], payload["message"]["ts"], payload["user"]["id"]) == (
        ts,
        ts,
        "U0BOB00001",
    )
    [message] = standin.messages(CHANNEL)
    assert (message["text"], "blocks" in message, message["edited"]["user"]) == (
        "Voted",
        False,
        standin.bot_user_id,
    )


def test_triggers_expire_after_three_seconds(receiver: Receiver) -> None:
    with SlackStandIn(trigger_ttl=0.0) as standin:
        standin.add_user("U0ANN00001", "ann")
        trigger_id = standin.issue_trigger_id("U0ANN00001")
        time.sleep(0.01)
        client = WebClient(token=standin.bot_token, base_url=standin.api_url)
        modal = {"type": "modal", "title": {"type": "plain_text", "text": "Late"}, "blocks": []}
        assert error_of(client.views_open, trigger_id=trigger_id, view=modal) == "expired_trigger_id"


# --- a real Bolt app, signature verification on ------------------------------------------------------------


def test_a_bolt_app_works_against_the_stand_in_unchanged(standin: SlackStandIn) -> None:
    heard: list[dict[str, Any]] = []
    said, got = threading.Event(), threading.Event()  # Bolt runs listeners on its own threads: wait for them
    app = App(
        signing_secret=SIGNING_SECRET,
        client=WebClient(token=standin.bot_token, base_url=standin.api_url),
    )

    @app.command("/journey")
    def journey(ack: Any, respond: Any, say: Any, command: dict[str, Any]) -> None:
        ack("on it")
        respond(f"starting {command['text']}")
        say("Workshop started")
        said.set()

    @app.event("message")
    def on_message(event: dict[str, Any]) -> None:
        heard.append(event)
        got.set()

    def dispatch(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        answer = app.dispatch(BoltRequest(body=body.decode(), headers=headers))
        return answer.status, answer.body.encode()

    endpoint = Receiver(dispatch)
    try:
        sender = SlackSender(endpoint.url, SIGNING_SECRET, standin=standin)
        standin.deliver_events_to(sender)
        assert sender.command("Onboarding", "U0ANN00001", CHANNEL).body == "on it"
        assert said.wait(timeout=10)
        sender.message(CHANNEL, "U0BOB00001", "a contribution")
        assert got.wait(timeout=10)
        assert standin.wait_idle(timeout=5, quiet=0.3)
    finally:
        endpoint.close()

    assert [post.payload["text"] for post in standin.responses] == ["starting Onboarding"]
    assert [m["text"] for m in standin.messages(CHANNEL)] == ["Workshop started", "a contribution"]
    assert [event["text"] for event in heard] == ["a contribution"]  # Bolt dropped its own echoed message
    assert standin.calls_to("auth.test")
