"""The deployment files (Dockerfile, compose.yaml, deploy/nginx.conf, .env.example, .dockerignore) agree with the
code they deploy.

No image is built and no stack is started here (no Docker daemon on CI), so these check what would break a deploy
and can be seen without one: the image runs a real `journeybot` command as a user that is not root, its health check
answers against the real WSGI app, the migration runs once before the bots, the bots read only variables that
Settings reads and reach the database service, the proxy sends Slack's requests to every replica on the port it
listens on. `make check-image` covers the image's install steps (README, "Deploy").
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import yaml
from pydantic import AliasChoices
from sqlalchemy import make_url

from bot.server import DRAIN_SECONDS, wsgi_app
from journeybot.cli import build_parser
from journeybot.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
INTERPOLATED = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")


# ---- reading the files -------------------------------------------------------------------------------------------


def dockerfile() -> tuple[dict[str, str], list[list[tuple[str, str]]]]:
    """The Dockerfile as (global ARG defaults, stages), each stage a list of (INSTRUCTION, arguments), with line
    continuations joined and comments dropped as Docker does."""
    global_args: dict[str, str] = {}
    stages: list[list[tuple[str, str]]] = []
    current = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        keyword, _, args = (current + line).partition(" ")
        current = ""
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            stages.append([])
        if not stages:
            if keyword == "ARG":
                name, _, default = args.partition("=")
                global_args[name] = default
            continue
        stages[-1].append((keyword, args))
    return global_args, stages


def final_stage() -> list[tuple[str, str]]:
    return dockerfile()[1][-1]


def instruction(stage: list[tuple[str, str]], keyword: str) -> str | None:
    """The arguments of the stage's last `keyword` (the one in force), or None."""
    found = [args for kw, args in stage if kw == keyword]
    return found[-1] if found else None


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, args in final_stage():
        if keyword == "ENV":
            env |= dict(pair.split("=", 1) for pair in shlex.split(args))
    return env


def image_argv() -> list[str]:
    """What the image runs: ENTRYPOINT and then CMD, both in exec form."""
    stage = final_stage()
    return json.loads(instruction(stage, "ENTRYPOINT") or "[]") + json.loads(instruction(stage, "CMD") or "[]")


def image_healthcheck() -> list[str]:
    check = instruction(final_stage(), "HEALTHCHECK")
    assert check is not None, "the image has no HEALTHCHECK"
    _options, _, command = check.partition(" CMD ")
    return json.loads(command)


def settings_env_names() -> set[str]:
    """Every environment variable Settings reads (case-insensitively, as configured)."""
    assert not Settings.model_config.get("case_sensitive")
    prefix = Settings.model_config.get("env_prefix", "")
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasChoices):
            names |= {choice.upper() for choice in alias.choices if isinstance(choice, str)}
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def journeybot_argv(service: dict[str, Any]) -> list[str] | None:
    """The command line a service built from this repository runs (the image's ENTRYPOINT, then its command or
    the image's CMD); None for a service of another image."""
    if "build" not in service:
        return None
    command = service.get("command")
    if command is None:
        return image_argv()
    assert isinstance(command, list), "give a journeybot service's command in exec form (a list)"
    return json.loads(instruction(final_stage(), "ENTRYPOINT") or "[]") + command


def parsed(service: dict[str, Any]) -> Any:
    argv = journeybot_argv(service)
    assert argv is not None and argv[0] == "journeybot", argv
    return build_parser().parse_args(argv[1:])


def services_running(command: str) -> list[str]:
    return sorted(
        name for name, service in SERVICES.items() if "build" in service and parsed(service).command == command
    )


BOTS = services_running("serve")
MIGRATIONS = services_running("migrate")


def database_services() -> list[str]:
    return [name for name, service in SERVICES.items() if str(service.get("image", "")).startswith("postgres:")]


def bot_port(bot: str) -> int:
    """The port a bot listens on: its PORT in compose.yaml, else the image's, else Settings' default."""
    port = SERVICES[bot].get("environment", {}).get("PORT") or image_env().get("PORT")
    return int(port) if port else Settings.model_fields["port"].default


def proxy_config() -> str:
    """The nginx configuration the proxy service mounts (read inside the image's `http` block)."""
    mounts = [volume.split(":") for volume in SERVICES["proxy"]["volumes"]]
    sources = [source for source, target, *_ in mounts if target == "/etc/nginx/conf.d/default.conf"]
    assert sources, "the proxy does not mount its configuration"
    return (ROOT / sources[0]).read_text(encoding="utf-8")


def nginx_blocks(config: str, keyword: str) -> dict[str, str]:
    """`keyword NAME { … }` blocks (upstream, location) by name, without nesting, which the file has none of."""
    return {
        name: body for name, body in re.findall(rf"^\s*{keyword}\s+([^{{]+?)\s*\{{([^}}]*)\}}", config, re.MULTILINE)
    }


def env_example() -> dict[str, str]:
    """.env.example's variables, commented-out ones too, with their values ('' for a commented-out one)."""
    found = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line):
            found[match[2]] = "" if match[1] else match[3]
    return found


def readme_variables() -> set[str]:
    """The variables in README's configuration tables (`| variable | meaning |`)."""
    names: set[str] = set()
    in_table = False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| variable |"):
            in_table = True
        elif in_table and line.startswith("|"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
        else:
            in_table = False
    return names


def seconds(duration: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", duration)
    assert parts and "".join(f"{n}{u}" for n, u in parts) == duration, duration
    return sum(float(n) * units[u] for n, u in parts)


@pytest.fixture
def health_server() -> Iterator[int]:
    """The bot's WSGI app on a loopback port: /healthz answers before Bolt or the database is reached."""

    class Quiet(WSGIRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

    server = make_server("127.0.0.1", 0, wsgi_app(MagicMock(), MagicMock()), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def unused_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(path: str) -> str:
    """What the bot's WSGI app answers to GET `path`."""
    status: list[str] = []
    wsgi_app(MagicMock(), MagicMock())({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, lambda s, _h: status.append(s))
    return status[0]


# ---- the image ---------------------------------------------------------------------------------------------------


def test_the_image_is_slim_python_3_11_and_runs_as_a_user_that_is_not_root() -> None:
    global_args, stages = dockerfile()
    base = re.sub(r"\$\{(\w+)\}", lambda m: global_args[m[1]], instruction(stages[-1], "FROM") or "")
    assert base.startswith("python:3.11-slim"), base
    user = instruction(stages[-1], "USER")
    assert user is not None, "the image runs as root"
    name = user.split(":")[0]
    assert name not in {"root", "0"}
    if name.isdigit():  # a numeric user exists in the image, with a home
        creating = [args for kw, args in stages[-1] if kw == "RUN" and f"--uid {name}" in args]
        assert creating and "useradd" in creating[0]


def test_the_image_runs_journeybot_serve_in_http_mode() -> None:
    argv = image_argv()
    assert argv[0] == "journeybot" and PYPROJECT["project"]["scripts"]["journeybot"] == "journeybot.cli:main"
    args = build_parser().parse_args(argv[1:])
    assert args.command == "serve" and not args.socket


def test_the_image_fetches_nothing_and_listens_where_settings_say() -> None:
    env = image_env()
    assert env["HF_HUB_OFFLINE"] == "1"
    assert instruction(final_stage(), "EXPOSE") == env["PORT"]
    assert "PORT" in settings_env_names()


def test_the_image_healthcheck_passes_on_a_serving_bot_and_fails_without_one(health_server: int) -> None:
    command = image_healthcheck()
    assert command[0] == "python"
    run = [sys.executable, *command[1:]]
    env = {**os.environ, "PORT": str(health_server)}
    assert subprocess.run(run, env=env, capture_output=True, timeout=30).returncode == 0
    failed = subprocess.run(run, env={**os.environ, "PORT": str(unused_port())}, capture_output=True, timeout=30)
    assert failed.returncode != 0


def test_the_health_checks_ask_for_a_path_the_server_serves_and_the_proxy_passes_on() -> None:
    urls = " ".join(image_healthcheck() + SERVICES["proxy"]["healthcheck"]["test"])
    paths = set(re.findall(r"https?://[^/'\"]+(/[\w/-]+)", urls))
    assert paths == {"/healthz"}
    assert get("/healthz") == "200 OK"
    (upstream,) = nginx_blocks(proxy_config(), "upstream")
    assert "proxy_pass http://" + upstream + ";" in nginx_blocks(proxy_config(), "location")["= /healthz"]


def test_the_build_context_holds_the_package_and_nothing_else() -> None:
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()]
    patterns = [line for line in lines if line and not line.startswith("#")]
    assert patterns[0] == "*", "the build context lets in only what is listed (an allowlist)"
    allowed = {line[1:].rstrip("/") for line in patterns if line.startswith("!")}
    packages = {
        path.name
        for pattern in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
        for path in ROOT.iterdir()
        if path.is_dir() and path.name.isidentifier() and fnmatch.fnmatch(path.name, pattern)
    }
    needed = {"pyproject.toml", PYPROJECT["project"]["readme"], "deploy/install.sh"} | packages
    assert needed <= allowed, needed - allowed
    assert not {".venv", "demo-out", ".env", ".git", "tests", ".pytest_cache", ".ruff_cache"} & allowed
    # What the Dockerfile copies by name is in the context.
    for keyword, args in dockerfile()[1][0]:
        if keyword == "COPY" and not args.startswith("--from"):
            *sources, _target = args.split()
            assert all(source == "." or source in allowed for source in sources), sources


def test_the_image_installs_with_the_steps_make_check_image_runs() -> None:
    runs = " ".join(args for keyword, args in dockerfile()[1][0] if keyword == "RUN")
    steps = re.findall(r"deploy/install\.sh (\w+) ", runs)
    assert steps == ["deps", "project", "verify"]
    check = (ROOT / "deploy" / "check-image.sh").read_text(encoding="utf-8")
    assert re.findall(r"sh deploy/install\.sh (\w+) ", check) == ["deps", "project", "verify", "verify"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check-image:.*\n\t.*deploy/check-image\.sh", makefile, re.MULTILINE)
    test_target = re.search(r"^test:(.*)$", makefile, re.MULTILINE)
    assert test_target and "check-image" not in test_target[1]


# ---- compose.yaml ------------------------------------------------------------------------------------------------


def test_every_service_has_an_image_or_a_build_of_this_repository() -> None:
    for name, service in SERVICES.items():
        assert "image" in service or "build" in service, name
        if "build" in service:
            context = service["build"] if isinstance(service["build"], str) else service["build"]["context"]
            assert (ROOT / context / "Dockerfile").is_file(), name
    assert len({SERVICES[name]["image"] for name in BOTS + MIGRATIONS}) == 1, (
        "the bots and the migration share one image"
    )


def test_the_schema_is_migrated_once_before_the_bots_start() -> None:
    assert len(MIGRATIONS) == 1
    migrate = SERVICES[MIGRATIONS[0]]
    assert migrate.get("restart") == "no", "a one-shot service"
    (db,) = database_services()
    assert "test" in SERVICES[db]["healthcheck"]
    assert migrate["depends_on"][db]["condition"] == "service_healthy"
    for bot in BOTS:
        assert SERVICES[bot]["depends_on"][MIGRATIONS[0]]["condition"] == "service_completed_successfully", bot


def test_two_bot_replicas_in_http_mode_that_restart_and_drain() -> None:
    assert len(BOTS) >= 2
    for bot in BOTS:
        service = SERVICES[bot]
        assert not parsed(service).socket and "replicas" not in service.get("deploy", {})
        assert service.get("restart") in {"always", "unless-stopped"}, bot
        # `docker stop` waits 10 s by default; a bot finishes stored work for up to DRAIN_SECONDS after SIGTERM.
        assert seconds(service["stop_grace_period"]) >= DRAIN_SECONDS + 5, bot
    for name in [*database_services(), "proxy"]:
        assert SERVICES[name].get("restart") in {"always", "unless-stopped"}, name


def test_the_bots_set_only_variables_that_settings_reads() -> None:
    known = settings_env_names()
    for name in BOTS + MIGRATIONS:
        service = SERVICES[name]
        assert service["env_file"] == ".env"
        assert set(service["environment"]) <= known, set(service["environment"]) - known


def test_compose_refuses_to_start_without_what_http_mode_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in settings_env_names():
        monkeypatch.delenv(variable, raising=False)
    # The bot token or OAuth's client id and secret: the bots check that themselves (either will do).
    needed = [name for name in Settings(_env_file=None).missing_for("http") if name != "SLACK_BOT_TOKEN"]
    assert needed
    for bot in BOTS:
        environment = SERVICES[bot]["environment"]
        for variable in needed:
            assert re.fullmatch(rf"\$\{{{variable}:\?[^}}]+\}}", environment.get(variable, "")), (bot, variable)


def test_the_bots_use_the_database_service() -> None:
    (db,) = database_services()
    database = SERVICES[db]["environment"]
    for name in BOTS + MIGRATIONS:
        url = make_url(re.sub(r"\$\{[^}]*\}", "password", SERVICES[name]["environment"]["DATABASE_URL"]))
        assert url.drivername == "postgresql+psycopg", name
        assert (url.host, url.port, url.username, url.database) == (
            db,
            5432,
            database["POSTGRES_USER"],
            database["POSTGRES_DB"],
        )
        assert url.get_dialect().driver == "psycopg"
        passwords = INTERPOLATED.findall(SERVICES[name]["environment"]["DATABASE_URL"])
        assert passwords == INTERPOLATED.findall(database["POSTGRES_PASSWORD"]), "one password for both"


def test_the_proxy_sends_slack_requests_to_every_bot_on_its_port() -> None:
    proxy = SERVICES["proxy"]
    for bot in BOTS:
        assert proxy["depends_on"][bot]["condition"] == "service_healthy", bot
    config = proxy_config()
    ((upstream, servers),) = nginx_blocks(config, "upstream").items()
    assert set(re.findall(r"^\s*server\s+(\S+)", servers, re.MULTILINE)) == {f"{bot}:{bot_port(bot)}" for bot in BOTS}
    # Looked up again while running (a recreated replica gets a new address): `resolve` needs a zone and a resolver.
    assert all(" resolve" in line for line in re.findall(r"^\s*server\s.*$", servers, re.MULTILINE))
    assert re.search(r"^\s*zone\s", servers, re.MULTILINE) and re.search(r"^resolver\s", config, re.MULTILINE)
    # Slack's request URL goes to the upstream; a request is passed on to another replica only if it could not be
    # sent (nginx never repeats a POST that a bot received unless told `non_idempotent`).
    locations = nginx_blocks(config, "location")
    prefixes = [name for name in locations if not name.startswith(("=", "~")) and "/slack/events".startswith(name)]
    slack = locations[max(prefixes, key=len)]  # nginx takes the longest matching prefix
    assert f"proxy_pass http://{upstream};" in slack
    assert "proxy_next_upstream error" in slack and "non_idempotent" not in config
    assert re.search(r"^\s*listen\s+80;", config, re.MULTILINE) and any(
        str(port).endswith(":80") for port in proxy["ports"]
    )


# ---- .env.example ------------------------------------------------------------------------------------------------


def test_env_example_lists_every_variable_and_no_value() -> None:
    example = env_example()
    used_by_compose = set(INTERPOLATED.findall((ROOT / "compose.yaml").read_text(encoding="utf-8")))
    assert set(example) <= settings_env_names() | used_by_compose, set(example) - settings_env_names() - used_by_compose
    assert readme_variables() and readme_variables() <= set(example), readme_variables() - set(example)
    assert used_by_compose <= set(example), used_by_compose - set(example)
    assert {name: value for name, value in example.items() if value} == {}, "no values in the example"
