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


def test_only_the_state_machine_moves_workshops_and_steps() -> None:
    """A workshop's or step's state is set in `workflows/workshop/machine.py` alone, where each move is checked."""
    machine = ROOT / "workflows" / "workshop" / "machine.py"
    setters = []
    for path in sorted(ROOT.joinpath("workflows").rglob("*.py")):
        if path == machine:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                flat = [t for target in targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
                if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in flat) and any(
                    isinstance(value, ast.Name) and value.id in {"StepState", "WorkshopState"}
                    for value in ast.walk(node.value)
                ):
                    setters.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert setters == []
