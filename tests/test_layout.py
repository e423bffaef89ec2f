"""The layout is the architecture: `bot → workflows → storage`, and the Slack stand-in and the demo stay out of
the product. Checked on the imports themselves, so a shortcut across layers fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOUBLES = ("journeybot.standin", "journeybot.demo")
FORBIDDEN = {
    "workflows": ("slack_bolt", "slack_sdk", "bot", *DOUBLES),
    "bot": ("storage", *DOUBLES),
    "storage": ("workflows", "bot", "journeybot", "slack_bolt", "slack_sdk"),
}


def imports(package: str) -> list[tuple[str, str]]:
    """(file, module imported) for every import in the package, lazy ones inside functions included."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(ROOT)), node.module))
            elif isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependencies_point_one_way(package: str) -> None:
    crossing = [
        (path, module)
        for path, module in imports(package)
        if any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN[package])
    ]
    assert crossing == []
