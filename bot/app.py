"""The Bolt app factory: one Web API client, listeners registered by kind, events handled from the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import listeners
from bot.installs import InstallationStore, WorkspaceClient, WorkspaceTokens, oauth_settings
from bot.listeners.events.context import TRY_LATER_STATUS
from bot.notifier import SlackNotifier
from bot.observe import SlackApiMeter
from bot.services import Services
from bot.users import UserDirectory
from bot.worker import Worker
from journeybot.settings import Settings
from workflows.actions.service import home_data
from workflows.jobs.intake import Handling, handle_stored_events
from workflows.jobs.outbox import Outbox
from workflows.llm.config import LLMConfig
from workflows.logs import bind
from workflows.setup import Database
from workflows.workshop.engines import EngineChoice
from workflows.workshop.flows import Flows
from workflows.workspaces.service import record_install

# How often the intake looks for stored events by itself: ones whose listener failed, or a dead process's batch.
INTAKE_RETRY_SECONDS = 2.0
# How often the job worker looks for due work by itself: a dead worker's job (lease: 60 s) is taken over within
# about a minute and a half.
JOB_CHECK_SECONDS = 20.0


class ServerErrorRetryHandler(RetryHandler):
    """Retries a call Slack answered with a 5xx: a passing failure, unlike an `ok: false` refusal, which is final."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code >= 500


def web_client(settings: Settings, db: Database) -> WebClient:
    """One workspace's bot token; or, installed through OAuth, each workspace's own (`bot.installs`)."""
    if settings.oauth:
        store = InstallationStore(settings, db)
        client: WebClient = WorkspaceClient(base_url=settings.slack_api_url)
        client.tokens = WorkspaceTokens(settings, store, db, WebClient(base_url=settings.slack_api_url))
    else:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        client = WebClient(token=token, base_url=settings.slack_api_url)
    # The meter first: it sees every response (and lets the others decide on retries); Bolt's per-request
    # clients copy this list, so a listener's calls are counted too.
    client.retry_handlers[:0] = [SlackApiMeter()]
    client.retry_handlers += [RateLimitErrorRetryHandler(max_retry_count=3), ServerErrorRetryHandler(max_retry_count=2)]
    return client


def llm_config(settings: Settings) -> LLMConfig | None:
    """The LLM engine's settings, or None: without an API key every workshop runs on the embedded engine."""
    if settings.openai_api_key is None:
        return None
    return LLMConfig(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        model=settings.journeybot_llm_model,
        timeout=settings.journeybot_llm_timeout,
        max_retries=settings.journeybot_llm_max_retries,
        step_budget=settings.journeybot_llm_step_budget,
        structured=settings.journeybot_llm_structured,
    )


def dispatch_stored(app: App, body: str) -> Handling:
    """Hands a stored event to its listeners. A listener answers 503 for an event that must wait (`try_later`);
    Bolt answers 500 when one failed."""
    request = BoltRequest(body=body, headers={"content-type": ["application/json"]})
    bind(team_id=request.context.team_id, event_id=request.body.get("event_id"))  # on its handling's log lines
    status = app.dispatch(request).status
    if status == TRY_LATER_STATUS:
        return Handling.later
    return Handling.done if status < 500 else Handling.failed


def build_flows(
    settings: Settings, db: Database, today: Callable[[], date] = date.today
) -> tuple[SlackNotifier, Flows]:
    """The domain's flows over Slack's Web API, with no Bolt app: all that `journeybot tick` needs."""
    client = web_client(settings, db)
    notifier = SlackNotifier(
        client, UserDirectory(client), homes=partial(home_data, db), outbox=Outbox(db), today=today
    )
    engines = EngineChoice(db, llm_config(settings))
    return notifier, Flows(
        db, notifier, engines, today=today, note_retention_days=settings.journeybot_note_retention_days
    )


def create_app(settings: Settings, db: Database, today: Callable[[], date] = date.today) -> tuple[App, Services]:
    notifier, flows = build_flows(settings, db, today)
    # Each listener finishes before its request is answered: a command's or an interaction's work is done when
    # Slack hears back, and a stored event is marked done only once handled. Signatures are checked at the edge
    # (`bot.server`), before anything is parsed or stored; a stored event is handled long after it was signed.
    client = notifier.client
    oauth = oauth_settings(settings, client.tokens.store, db) if isinstance(client, WorkspaceClient) else None
    app = App(client=client, process_before_response=True, request_verification_enabled=False, oauth_settings=oauth)
    intake = Worker(partial(handle_stored_events, db, partial(dispatch_stored, app)), interval=INTAKE_RETRY_SECONDS)
    services = Services(
        db=db,
        users=notifier.users,
        notifier=notifier,
        flows=flows,
        worker=Worker(flows.run_due, interval=JOB_CHECK_SECONDS),
        intake=intake,
        installations=oauth.installation_store if oauth else None,
    )
    remember_organisations(app, db)
    listeners.register(app, services)
    return app, services


def remember_organisations(app: App, db: Database) -> None:
    """Notes which Enterprise Grid organisation each workspace belongs to, as its requests say: with the app
    installed org-wide, that is where the worker finds the workspace's token."""
    known: set[tuple[str, str]] = set()

    @app.middleware
    def remember(context: BoltContext, next: Callable[[], None]) -> None:
        pair = (context.team_id, context.enterprise_id)
        if pair[0] and pair[1] and pair not in known:
            with db.session() as session:
                record_install(session, pair[0], pair[1])
            known.add(pair)
        next()
