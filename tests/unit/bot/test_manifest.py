"""The Slack app manifest (`app.yaml`) is valid for Slack and asks for exactly what the bot uses.

Slack only rejects a bad manifest when someone pastes it into the app settings; these tests catch it in CI,
and pin the command, events and scopes so that widening the app's permissions is a deliberate change.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from journeybot.settings import DEFAULT_SCOPES

REPO_ROOT = Path(__file__).resolve().parents[3]
MANIFEST_PATH = REPO_ROOT / "app.yaml"
SCHEMA_PATH = REPO_ROOT / "tests" / "fixtures" / "slack" / "slack-manifest.schema.1.0.0.json"

EXPECTED_BOT_EVENTS = {
    "message.channels",
    "message.groups",
    "app_mention",
    "reaction_added",
    "reaction_removed",
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
}

EXPECTED_BOT_SCOPES = {
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "app_mentions:read",
    "reactions:read",
    "reactions:write",
    "users:read",
    "files:write",
    "im:write",
    "channels:read",
    "groups:read",
    "canvases:write",
}

# Which scope each subscribed event needs; Slack refuses to deliver the event without it.
EVENT_SCOPES = {
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "app_mention": "app_mentions:read",
    "reaction_added": "reactions:read",
    "reaction_removed": "reactions:read",
}

SUBCOMMANDS = ["start", "next", "status", "map", "actions", "done", "assign", "revise", "cancel", "delete", "help"]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """Slack's own manifest schema, kept with the tests (tests/fixtures/slack/README.md says where it is from)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    assert MANIFEST_PATH.is_file(), f"{MANIFEST_PATH} is missing"
    data = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "app.yaml must be a YAML mapping"
    return data


def _errors(validator: jsonschema.protocols.Validator, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(instance)]


def test_manifest_validates_against_slack_schema(
    validator: jsonschema.protocols.Validator, manifest: dict[str, Any]
) -> None:
    assert _errors(validator, manifest) == []


def test_manifest_is_major_version_1(manifest: dict[str, Any]) -> None:
    assert manifest["_metadata"]["major_version"] == 1


def test_background_color_is_a_hex_colour(manifest: dict[str, Any]) -> None:
    # The schema states this as a non-standard "regex" keyword, which jsonschema ignores: check it here.
    colour = manifest["display_information"].get("background_color")
    if colour is not None:
        assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", colour), colour


def test_display_information(manifest: dict[str, Any]) -> None:
    info = manifest["display_information"]
    assert info["name"] == "journeybot"
    assert info["description"].strip()
    assert len(info["long_description"]) >= 175


def test_slash_command_is_journey(manifest: dict[str, Any]) -> None:
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == ["/journey"]
    journey = commands[0]
    assert journey["should_escape"] is True  # mentions arrive as <@U…> ids
    hint = journey["usage_hint"]
    for sub in SUBCOMMANDS:
        assert re.search(rf"\b{sub}\b", hint), f"usage hint does not mention `{sub}`: {hint!r}"


def test_bot_user_and_app_home(manifest: dict[str, Any]) -> None:
    features = manifest["features"]
    assert features["bot_user"]["display_name"] == "journeybot"
    assert features["bot_user"]["always_online"] is True
    assert features["app_home"]["home_tab_enabled"] is True


def test_message_shortcut(manifest: dict[str, Any]) -> None:
    shortcuts = {s["callback_id"]: s for s in manifest["features"]["shortcuts"]}
    assert shortcuts["add_action_shortcut"]["type"] == "message"


def test_every_bot_event_is_subscribed(manifest: dict[str, Any]) -> None:
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    missing = EXPECTED_BOT_EVENTS - set(events)
    assert not missing, f"not subscribed: {sorted(missing)}"
    assert set(events) == EXPECTED_BOT_EVENTS, "a new event subscription needs a test (and maybe a scope)"


def test_scopes_are_exactly_what_the_bot_needs(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}, "the bot needs no user token scopes"
    bot = scopes["bot"]
    assert len(bot) == len(set(bot)), "duplicate scope"
    assert set(bot) == EXPECTED_BOT_SCOPES


def test_an_oauth_install_asks_for_the_manifests_scopes(manifest: dict[str, Any]) -> None:
    assert DEFAULT_SCOPES.split(",") == manifest["oauth_config"]["scopes"]["bot"]


def test_the_manifest_names_the_oauth_redirect(manifest: dict[str, Any]) -> None:
    (url,) = manifest["oauth_config"]["redirect_urls"]
    assert url.startswith("https://") and url.endswith("/slack/oauth_redirect")


def test_every_event_has_its_scope(manifest: dict[str, Any]) -> None:
    bot = set(manifest["oauth_config"]["scopes"]["bot"])
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needed = EVENT_SCOPES.get(event)
        assert needed is None or needed in bot, f"{event} needs the {needed} scope"


def test_every_scope_says_why() -> None:
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    for scope in EXPECTED_BOT_SCOPES:
        assert re.search(rf"^\s*-\s*{re.escape(scope)}\s+#\s*\S", text, re.MULTILINE), (
            f"scope {scope} has no comment saying why the bot needs it"
        )


def test_socket_mode_and_http_request_urls(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        manifest["features"]["slash_commands"][0]["url"],
    ]
    assert all(url.startswith("https://") and url.endswith("/slack/events") for url in urls), urls


def _unknown_top_level_key(m: dict[str, Any]) -> None:
    m["journeybot_extra"] = True


def _unknown_nested_key(m: dict[str, Any]) -> None:
    m["features"]["bot_user"]["avatar"] = "robot.png"


def _wrong_type(m: dict[str, Any]) -> None:
    m["features"]["bot_user"]["always_online"] = "yes"


def _bad_command(m: dict[str, Any]) -> None:
    m["features"]["slash_commands"][0]["command"] = "journey"


def _missing_name(m: dict[str, Any]) -> None:
    del m["display_information"]["name"]


def _long_shortcut_name(m: dict[str, Any]) -> None:
    m["features"]["shortcuts"][0]["name"] = "Add to journey map as action"


@pytest.mark.parametrize(
    "breakage",
    [
        _unknown_top_level_key,
        _unknown_nested_key,
        _wrong_type,
        _bad_command,
        _missing_name,
        _long_shortcut_name,
    ],
)
def test_broken_copy_fails_validation(
    validator: jsonschema.protocols.Validator, manifest: dict[str, Any], breakage: Any
) -> None:
    """Proves the validator is live: a schema that accepts anything would pass the real manifest too."""
    broken = copy.deepcopy(manifest)
    breakage(broken)
    assert _errors(validator, broken), f"{breakage.__name__} was accepted by the schema"
