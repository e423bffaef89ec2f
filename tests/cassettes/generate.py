"""Generate every LLM cassette offline, against the local fake OpenAI server (tests/fake_openai.py).

    .venv/bin/python -m tests.cassettes.generate               # from the repository root: everything
    .venv/bin/python -m tests.cassettes.generate --only bench  # the benchmark boards (after an embedded-engine change)

1. starts FakeOpenAI with the task-correct responders of tests/cassettes/responders.py;
2. records tests/unit/llm/test_llm_tasks.py (pytest --record-mode=rewrite, OPENAI_BASE_URL at the fake server) and the
   token benchmark's boards (bench/llm_tokens.py, record mode "all");
3. rewrites the recorded host to https://api.openai.com/v1 and puts HEADER at the top of every cassette.

The fake server answers in OpenAI's documented Chat Completions format (a `chat.completion` object with
`choices[].message` and `usage`), so the cassettes are what the real API would have sent, minus the wording.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import pytest

from bench.llm_tokens import REPLAY, boards, cassette_for, measure
from tests.cassettes.responders import responder
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import BOARD_LABELS

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
HEADER = (
    "# Generated offline by tests/cassettes/generate.py against tests/fake_openai.py, a local OpenAI-compatible\n"
    "# server; not recorded from api.openai.com. Requests and responses follow OpenAI's documented Chat\n"
    "# Completions format exactly (POST /v1/chat/completions, a chat.completion object with usage); the host was\n"
    "# rewritten to https://api.openai.com/v1 and no key was ever used. Re-record: see tests/cassettes/README.md.\n"
)
_FAKE_URL = re.compile(r"http://127\.0\.0\.1:\d+/v1")
_FAKE_HOST = re.compile(r"127\.0\.0\.1:\d+")  # the Host header


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["tests", "bench"], help="record only these cassettes")
    only = parser.parse_args().only
    board_sets = boards()
    labels = {**BOARD_LABELS, **{text: intent.replace("_", " ") for b in board_sets.values() for text, intent in b}}
    with FakeOpenAI(model=REPLAY.model, responder=responder(labels)) as fake:
        if only != "bench" and (status := record_tests(fake)) != 0:
            return status
        if only != "tests":
            record_bench(fake, board_sets)
        if fake.errors:
            print(f"the responders failed: {fake.errors}", file=sys.stderr)
            return 1
    for cassette in sorted(HERE.rglob("*.yaml")):
        finish(cassette)
    return 0


def record_tests(fake: FakeOpenAI) -> int:
    """The task tests, recording: their config reads OPENAI_BASE_URL and OPENAI_API_KEY."""
    os.environ.update(OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="sk-fake-generator")
    test_file = str(ROOT / "tests" / "unit" / "llm" / "test_llm_tasks.py")
    return int(pytest.main([test_file, "--record-mode=rewrite", "-q", "-p", "no:cacheprovider"]))


def record_bench(fake: FakeOpenAI, board_sets: dict[int, list[tuple[str, str]]]) -> None:
    config = REPLAY.model_copy(update={"base_url": fake.base_url})
    for size, board in board_sets.items():
        cassette_for(size).unlink(missing_ok=True)
        measure(board, cassette_for(size), config, record_mode="all")


def finish(cassette: Path) -> None:
    """The real API's address, and the header saying how the cassette was made (once)."""
    text = _FAKE_URL.sub("https://api.openai.com/v1", cassette.read_text(encoding="utf-8"))
    text = _FAKE_HOST.sub("api.openai.com", text)
    cassette.write_text(text if text.startswith(HEADER) else HEADER + text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
