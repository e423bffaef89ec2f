"""The action plan as a spreadsheet: `actions.csv`, one row per action, for the team's tracker.

Made to open cleanly in Excel, LibreOffice and Google Sheets: RFC 4180 quoting, CRLF line ends, a UTF-8 byte order
mark (so Excel shows accents), and no cell that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io

from workflows.mapping.models import ActionItem, JourneyMap
from workflows.render.grid import display_name

HEADER = ("id", "title", "owner", "due", "status", "stage", "pain_point", "owner_id")
BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str) -> str:
    """`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`: shown as text, never run."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _row(
    action: ActionItem, journey_map: JourneyMap, pain_titles: dict[str, str], pain_stages: dict[str, str]
) -> list[str]:
    pain = action.pain_point or ""
    owner = display_name(action.owner, journey_map.people) if action.owner else ""
    return [
        action.id,
        action.title,
        owner,
        action.due.isoformat() if action.due else "",
        action.status.value,
        action.stage or pain_stages.get(pain, ""),
        pain_titles.get(pain, ""),
        action.owner or "",
    ]


def actions_csv(journey_map: JourneyMap) -> str:
    """The map's actions as CSV text with the header `id,title,owner,due,status,stage,pain_point,owner_id`.

    The text already starts with the byte order mark `\\ufeff`: write it with `.encode("utf-8")` (not
    "utf-8-sig", which would add a second one). Lines end in CRLF; a title with commas, quotes or line breaks is
    quoted. `owner` is the display name from `journey_map.people` (the Slack id when the name is unknown, empty
    when nobody owns it) and `owner_id` the Slack id; `due` is an ISO date or empty; `stage` is the action's stage
    or else the stage of its pain point; `pain_point` is that pain point's title. Every action is listed, dropped
    ones too. Cells that a spreadsheet would read as a formula get a leading apostrophe.
    """
    themes = {t.id: t.title for step in journey_map.steps.values() for t in step}
    pain_titles: dict[str, str] = {}
    pain_stages: dict[str, str] = {}
    for stage in journey_map.stages:
        for pain in stage.pain_points:
            pain_titles.setdefault(pain.theme_id, pain.title)
            pain_stages.setdefault(pain.theme_id, stage.name)
    pain_titles = {**pain_titles, **themes}  # the theme's title where the map has it
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for action in journey_map.action_items:
        writer.writerow([defuse(cell) for cell in _row(action, journey_map, pain_titles, pain_stages)])
    return BOM + out.getvalue()
