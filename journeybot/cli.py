"""The `journeybot` command line (docs/architecture.md, "Command line")."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from journeybot.settings import Settings
from workflows.logs import LogFormat, configure_logging
from workflows.render import FORMATS

if TYPE_CHECKING:
    from workflows.themes.clustering.base import Note, ThemeDraft

log = logging.getLogger("journeybot")


def _serve(args: argparse.Namespace) -> int:
    from bot.server import serve_http, serve_socket

    settings = Settings()
    mode = "socket" if args.socket else "http"
    if missing := settings.missing_for(mode):
        log.error("cannot serve in %s mode: set %s (see README, 'Run the bot')", mode, ", ".join(missing))
        return 2
    if args.socket:
        serve_socket(settings)
    else:
        serve_http(settings, args.port or settings.port)
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Plays the demo; a demo that cannot finish (the bot never settled, say) ends with what stopped it, not a
    traceback."""
    from journeybot.demo.driver import run_demo
    from journeybot.demo.errors import DemoError

    try:
        run_demo(Path(args.out), months=args.months)
    except DemoError as error:
        log.error("the demo stopped: %s", error)
        return 1
    return 0


def _cluster(args: argparse.Namespace) -> int:
    """Clusters with the engine asked for, else the configured one (the LLM when an API key is set), and says
    which made the themes: an LLM that gives no usable answer leaves them to the embedded engine, said too."""
    from workflows.themes.clustering.files import read_notes, write_themes

    settings = Settings()
    engine = args.engine or ("llm" if settings.openai_api_key is not None else "embedded")
    if engine == "llm" and settings.openai_api_key is None:
        log.error("--engine llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a server other than OpenAI's)")
        return 2
    notes = read_notes(Path(args.inp))
    drafts, said = _llm_themes(notes, settings) if engine == "llm" else _embedded_themes(notes)
    write_themes(Path(args.out), drafts)
    print(said)
    return 0


def _embedded_themes(notes: Sequence[Note], reason: str = "") -> tuple[list[ThemeDraft], str]:
    from workflows.themes.clustering.embedded import EmbeddedEngine

    return EmbeddedEngine().cluster(notes), f"engine: embedded{reason}"


def _llm_themes(notes: Sequence[Note], settings: Settings) -> tuple[list[ThemeDraft], str]:
    """The LLM's themes, its cache and token records in the configured database (brought to the schema's head
    first, as `journeybot migrate` would); the embedded engine's when the LLM fails."""
    from bot.app import llm_config
    from storage.db import Database
    from storage.migrate import upgrade
    from workflows.llm import LLMEngine, LLMUnavailable

    config = llm_config(settings)
    assert config is not None  # checked by the caller: there is an API key
    upgrade(settings.database_url)
    engine = LLMEngine(config, Database(settings.database_url))
    try:
        drafts = engine.cluster(notes)
    except LLMUnavailable as failure:
        log.warning("engine %s failed (%s); falling back to the embedded engine", engine.name, failure.reason)
        return _embedded_themes(notes, f" (the {engine.name} engine failed: {failure.reason}; fell back)")
    return drafts, f"engine: {engine.name} ({engine.provenance(len(notes))})"


def _tick(args: argparse.Namespace) -> int:
    from bot.app import build_flows
    from storage.db import Database

    now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    settings = Settings()
    _notifier, flows = build_flows(settings, Database(settings.database_url))
    ran = flows.run_due(now)
    print(f"ran {ran} due job(s) as of {now.isoformat()}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from storage.db import Database
    from workflows.mapping.export import export_map

    settings = Settings()
    data = export_map(Database(settings.database_url), args.workshop_id, args.format, args.version)
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _forget(args: argparse.Namespace) -> int:
    """Deletes everything about one workspace, after showing exactly what (a rolled-back dry run) and a yes."""
    from storage.db import Database
    from workflows.retention.service import forget_workspace, preview_forget

    settings = Settings()
    db = Database(settings.database_url)
    if not args.yes:
        rows = preview_forget(db, args.team)
        if not any(rows.values()):
            print(f"journeybot stores nothing about workspace {args.team}")
            return 0
        _print_rows(f"This deletes everything journeybot stores about workspace {args.team}:", rows)
        try:
            answer = input(f"Type the team id ({args.team}) to delete it, anything else to stop: ")
        except EOFError:
            answer = ""
        if answer.strip() != args.team:
            print("Nothing was deleted. (Pass --yes to skip this question.)")
            return 1
    if settings.oauth:  # its tokens first: they are found through the workspace's row
        from bot.installs import InstallationStore

        InstallationStore(settings, db).forget(args.team)
    with db.session() as session:
        rows = forget_workspace(session, args.team)
    _print_rows(f"Deleted everything journeybot stored about workspace {args.team}:", rows)
    return 0


def _print_rows(heading: str, rows: dict[str, int]) -> None:
    print(heading)
    for table, count in rows.items():
        if count:
            print(f"  {table}: {count}")
    print(f"  total: {sum(rows.values())} rows")


def _export_workspace(args: argparse.Namespace) -> int:
    from storage.db import Database
    from workflows.retention.export import export_workspace

    with Database(Settings().database_url).session() as session:
        document = export_workspace(session, args.team, datetime.now(UTC))
    data = document.model_dump_json(indent=2).encode() + b"\n"
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from storage.migrate import upgrade

    upgrade(Settings().database_url)
    print("database schema is at head")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="journeybot", description="Journey-mapping workshops in Slack.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the bot (HTTP mode by default)")
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve POST /slack/events and GET /healthz (default)")
    mode.add_argument("--socket", action="store_true", help="connect to Slack over Socket Mode")
    serve.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    serve.set_defaults(run=_serve)

    demo = commands.add_parser("demo", help="run a whole workshop offline against a local stand-in for Slack")
    demo.add_argument("--out", default="demo-out", help="where to write map.json, map.md, transcript.jsonl")
    demo.add_argument("--months", type=int, default=0, help="then fast-forward N months: reminders, a revision")
    demo.set_defaults(run=_demo)

    cluster = commands.add_parser("cluster", help="cluster notes (JSON lines {id, text}) into themes")
    cluster.add_argument("--in", dest="inp", required=True, help='JSON lines file of {"id", "text"}')
    cluster.add_argument("--out", required=True, help='where to write {"themes": [{"title", "ids"}]}')
    cluster.add_argument(
        "--engine",
        choices=["embedded", "llm"],
        help="which engine clusters (default: llm when OPENAI_API_KEY is set, else embedded)",
    )
    cluster.set_defaults(run=_cluster)

    tick = commands.add_parser("tick", help="run all work that is due")
    tick.add_argument("--now", help="ISO-8601 time to run as of (default: now)")
    tick.set_defaults(run=_tick)

    export = commands.add_parser("export", help="export a workshop's published map")
    export.add_argument("workshop_id", type=int)
    export.add_argument("--format", choices=FORMATS, default="md")
    export.add_argument("--version", type=int, help="map version (default: the latest)")
    export.add_argument("--out", help="file to write (default: standard output)")
    export.set_defaults(run=_export)

    forget = commands.add_parser("forget", help="delete everything stored about one workspace")
    forget.add_argument("--team", required=True, help="the workspace's team id (T…)")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    forget.set_defaults(run=_forget)

    export_workspace = commands.add_parser("export-workspace", help="everything about one workspace as JSON")
    export_workspace.add_argument("--team", required=True, help="the workspace's team id (T…)")
    export_workspace.add_argument("--out", help="file to write (default: standard output)")
    export_workspace.set_defaults(run=_export_workspace)

    migrate = commands.add_parser("migrate", help="bring the database schema to head")
    migrate.set_defaults(run=_migrate)
    return parser


def _log_format() -> LogFormat:
    """`JOURNEYBOT_LOG_FORMAT` (environment or `.env`); plain text while the settings do not read, so a command
    that needs them can say what is wrong."""
    try:
        return Settings().journeybot_log_format
    except ValidationError:
        return "text"


def main(argv: list[str] | None = None) -> int:
    configure_logging(_log_format())
    args = build_parser().parse_args(argv)
    from workflows.themes.clustering.embeddings import ModelMissingError

    try:
        return args.run(args)
    except (ValueError, LookupError, OSError, ModelMissingError) as error:
        log.error("%s", error)
        return 1


if __name__ == "__main__":
    sys.exit(main())
