"""The LLM as an operator configures it: the limits from the environment, and `journeybot cluster` on the
configured engine, saying which engine made the themes and why it fell back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import llm_config
from journeybot.cli import main
from journeybot.settings import Settings
from storage.db import Database
from storage.models import LLMCall
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import BOARD_NOTES
from workflows.llm import LLMConfig


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No key, a database of the test's own, and the working directory's `.env` out of the way."""
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "JOURNEYBOT_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'journeybot.db'}")
    return monkeypatch


@pytest.fixture
def llm_on(environment: pytest.MonkeyPatch, fake_llm: FakeOpenAI) -> pytest.MonkeyPatch:
    environment.setenv("OPENAI_API_KEY", "sk-test")
    environment.setenv("OPENAI_BASE_URL", fake_llm.base_url)
    environment.setenv("JOURNEYBOT_LLM_MAX_RETRIES", "1")
    return environment


@pytest.fixture
def notes_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps({"id": n.id, "text": n.text}) + "\n" for n in BOARD_NOTES), encoding="utf-8")
    return path


def cluster(notes_file: Path, *engine: str) -> tuple[int, list[dict]]:
    out = notes_file.with_name("themes.json")
    status = main(["cluster", "--in", str(notes_file), "--out", str(out), *engine])
    return status, json.loads(out.read_text(encoding="utf-8"))["themes"] if out.exists() else []


def every_note_once(themes: list[dict]) -> bool:
    return sorted(i for theme in themes for i in theme["ids"]) == sorted(note.id for note in BOARD_NOTES)


def test_the_limits_come_from_the_environment(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("OPENAI_API_KEY", "sk-test")
    environment.setenv("JOURNEYBOT_LLM_TIMEOUT", "45")
    environment.setenv("JOURNEYBOT_LLM_MAX_RETRIES", "0")
    environment.setenv("JOURNEYBOT_LLM_STEP_BUDGET", "90.5")

    config = llm_config(Settings())

    assert config is not None
    assert (config.timeout, config.max_retries, config.step_budget) == (45, 0, 90.5)


def test_the_settings_defaults_are_the_engines(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("OPENAI_API_KEY", "sk-test")

    config = llm_config(Settings())
    defaults = LLMConfig(api_key="sk-test")

    assert config is not None
    assert (config.timeout, config.max_retries, config.step_budget) == (120, 2, 300)
    assert (config.timeout, config.max_retries, config.step_budget) == (
        defaults.timeout,
        defaults.max_retries,
        defaults.step_budget,
    )


def test_cluster_uses_the_llm_when_a_key_is_configured_and_says_so(
    llm_on: pytest.MonkeyPatch, fake_llm: FakeOpenAI, notes_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, themes = cluster(notes_file)

    assert status == 0
    assert capsys.readouterr().out.strip() == "engine: llm:gpt-4o-mini (llm gpt-4o-mini cluster@1)"
    assert len(fake_llm.completion_requests) == 1
    assert every_note_once(themes) and len(themes) == 6
    database = Database(Settings().database_url)
    with database.session() as session:
        assert len(session.scalars(select(LLMCall)).all()) == 1, "its tokens are recorded like the bot's"
    database.dispose()


def test_cluster_falls_back_to_the_embedded_engine_and_says_why(
    llm_on: pytest.MonkeyPatch, fake_llm: FakeOpenAI, notes_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_llm.fail_with(500, body={"error": {"message": "model not loaded"}}, headers={"retry-after-ms": "10"}, times=2)

    status, themes = cluster(notes_file)

    assert status == 0 and every_note_once(themes)
    said = capsys.readouterr().out.strip()
    assert said == (
        "engine: embedded (the llm:gpt-4o-mini engine failed: after 2 requests, the LLM server answered HTTP 500: "
        "model not loaded; fell back)"
    )


def test_engine_embedded_never_asks_the_llm(
    llm_on: pytest.MonkeyPatch, fake_llm: FakeOpenAI, notes_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, themes = cluster(notes_file, "--engine", "embedded")

    assert status == 0 and every_note_once(themes)
    assert capsys.readouterr().out.strip() == "engine: embedded"
    assert fake_llm.completion_requests == []


def test_without_a_key_cluster_is_embedded_and_engine_llm_is_refused(
    environment: pytest.MonkeyPatch, notes_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = cluster(notes_file)
    assert status == 0 and capsys.readouterr().out.strip() == "engine: embedded"

    status, _ = cluster(notes_file, "--engine", "llm")
    assert status == 2
    assert not Path("journeybot.db").exists()
