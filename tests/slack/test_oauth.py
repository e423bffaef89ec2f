"""Installing journeybot in several workspaces through OAuth ("Add to Slack"), against the stand-in's authorize
page and `oauth.v2.access`: each workspace's work speaks to Slack with that workspace's own token, a rotating
token is refreshed, and uninstalling stops a workspace's work and deletes its tokens."""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.error import HTTPError
from urllib.parse import quote

import pytest
from sqlalchemy import select

from bot.server import RunningServer, start_http_in_background
from journeybot.settings import Settings
from journeybot.standin.sender import SlackSender
from journeybot.standin.server import SlackStandIn
from storage.models import Job, Workshop
from tests.conftest import SIGNING_SECRET

ANA, BEN = "U0OAUTHANA", "U0OAUTHBEN"
WORKSPACES = {"T0ALPHA001": "C0ALPHA001", "T0BRAVO001": "C0BRAVO001"}  # each workspace's channel


@dataclass
class Installed:
    standin: SlackStandIn
    server: RunningServer

    @property
    def base(self) -> str:
        return self.server.url.removesuffix("/slack/events")

    def install(self, team_id: str, **options: object) -> str:
        """A workspace admin goes through "Add to Slack": the install page, Slack's authorize page (the stand-in
        hands out a code for `team_id`), then the redirect back to the bot. Returns the final page."""
        with urllib.request.urlopen(f"{self.base}/slack/install") as page:
            html, cookie = page.read().decode(), page.headers["Set-Cookie"].split(";")[0]
        state = re.search(r"state=([^&\"']+)", html).group(1)
        code = self.standin.installs.authorize(team_id, f"Workspace {team_id}", **options)
        redirect = urllib.request.Request(
            f"{self.base}/slack/oauth_redirect?code={quote(code)}&state={state}", headers={"Cookie": cookie}
        )
        with urllib.request.urlopen(redirect) as page:
            return page.read().decode()

    def sender(self, team_id: str) -> SlackSender:
        return SlackSender(self.server.url, SIGNING_SECRET, team_id=team_id, standin=self.standin)

    def bot_token(self, team_id: str) -> str | None:
        bot = self.server.services.installations.find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot else None

    def settle(self) -> None:
        for worker in (self.server.services.intake, self.server.services.worker):
            assert _eventually(lambda worker=worker: worker.wait_idle(0.1))


def _eventually(check, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
    return False


@pytest.fixture
def installed(database_url: str) -> Iterator[Installed]:
    with SlackStandIn() as standin:
        for user_id, name in ((ANA, "ana"), (BEN, "ben")):
            standin.add_user(user_id, name, name.title())
        for channel in WORKSPACES.values():
            standin.add_channel(channel, f"journey-{channel[-4:].lower()}", members=[ANA, BEN])
        settings = Settings(
            slack_client_id=standin.installs.client_id,
            slack_client_secret=standin.installs.client_secret,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=standin.api_url,
            slack_authorize_url=f"{standin.base_url}/oauth/v2/authorize",
            database_url=database_url,
            _env_file=None,
        )
        server = start_http_in_background(settings, today=lambda: date(2026, 11, 23))
        try:
            yield Installed(standin, server)
        finally:
            server.stop()


def test_two_workspaces_install_and_each_is_spoken_to_with_its_own_token(installed):
    assert installed.standin.calls_to("oauth.v2.access") == []
    for team_id in WORKSPACES:
        assert "Thank you" in installed.install(team_id)
        assert installed.bot_token(team_id).startswith(f"xoxb-{team_id}")

    for team_id, channel in WORKSPACES.items():
        response = installed.sender(team_id).command(f"start Map {team_id}'s onboarding --manual", ANA, channel)
        assert response.status == 200
    installed.settle()

    posts = installed.standin.calls_to("chat.postMessage")
    for team_id, channel in WORKSPACES.items():
        assert any(call.params.get("channel") == channel for call in posts), f"{team_id}'s workshop started"
    owner = {channel: team for team, channel in WORKSPACES.items()}
    for call in installed.standin.calls:
        if call.params.get("channel") in owner:
            assert call.team_id == owner[call.params["channel"]], f"{call.method} used another workspace's token"
    with installed.server.services.db.session() as session:
        teams = dict(session.execute(select(Workshop.channel_id, Workshop.team_id)).all())
    assert teams == owner


def test_a_rotating_token_is_refreshed_before_it_expires(installed):
    installed.install("T0ALPHA001", rotating=True, expires_in=60)  # well inside the two hours before expiry
    first = installed.bot_token("T0ALPHA001")
    assert first.startswith("xoxe.xoxb-")
    sender = installed.sender("T0ALPHA001")
    assert sender.command("start Map renewals --manual", ANA, WORKSPACES["T0ALPHA001"]).status == 200
    installed.settle()
    assert installed.bot_token("T0ALPHA001") != first, "refreshed"
    refreshes = [c for c in installed.standin.calls_to("oauth.v2.access") if c.params.get("grant_type")]
    assert refreshes and all(c.response["ok"] for c in refreshes)
    step_posts = [c for c in installed.standin.calls_to("chat.postMessage") if c.team_id == "T0ALPHA001"]
    assert step_posts, "the workshop's messages went out with the refreshed token"


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT00001"]}},
    ],
    ids=["uninstalled", "revoked"],
)
def test_uninstalling_stops_the_workspaces_work_and_deletes_its_tokens(installed, event):
    for team_id in WORKSPACES:
        installed.install(team_id)
    alpha, bravo = WORKSPACES
    for team_id in WORKSPACES:
        installed.sender(team_id).command("start Map the renewal journey", ANA, WORKSPACES[team_id])
    installed.settle()

    installed.standin.installs.revoke(bravo)  # Slack revokes the tokens and tells the app
    assert installed.sender(bravo).event(event | {"event_ts": f"{time.time():.6f}"}).status == 200
    installed.settle()

    assert installed.bot_token(bravo) is None and installed.bot_token(alpha) is not None
    with installed.server.services.db.session() as session:
        status = dict(session.execute(select(Workshop.team_id, Workshop.status)).all())
        waiting = session.scalars(select(Job.team_id).where(Job.status.in_(["pending", "running"]))).all()
    assert status == {alpha: "open", bravo: "cancelled"}
    assert bravo not in waiting and alpha in waiting, "the other workspace's deadlines are still due"


def test_a_failed_install_changes_nothing(installed):
    with pytest.raises(HTTPError):
        urllib.request.urlopen(f"{installed.base}/slack/oauth_redirect?code=forged&state=forged")
    assert installed.bot_token("T0ALPHA001") is None


def test_enterprise_grid_installs_give_each_workspace_its_token(installed):
    """One workspace of an organisation installs the app for itself; the organisation's admin installs it for
    all its workspaces: each workspace's work uses the token it was given."""
    org, alpha, bravo = "E0ORGANISE", *WORKSPACES
    installed.install(alpha, enterprise_id=org)
    installed.install(org, enterprise_id=org, org_wide=True)
    for team_id, org_wide in ((alpha, False), (bravo, True)):
        sender = SlackSender(
            installed.server.url,
            SIGNING_SECRET,
            team_id,
            standin=installed.standin,
            enterprise_id=org,
            org_wide=org_wide,
        )
        assert sender.command("start Map the journey --manual", ANA, WORKSPACES[team_id]).status == 200
    installed.settle()
    speaker = {alpha: alpha, bravo: org}  # whose token: the workspace's own, or the organisation's
    posted = {team: 0 for team in WORKSPACES}
    for call in installed.standin.calls_to("chat.postMessage"):
        team = next(t for t, channel in WORKSPACES.items() if call.params.get("channel") == channel)
        assert call.team_id == speaker[team]
        posted[team] += 1
    assert all(posted.values()), posted
