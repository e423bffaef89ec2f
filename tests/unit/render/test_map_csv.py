"""`actions.csv`: one row per action, readable by any spreadsheet, and unable to run a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.map_samples import sample_map
from workflows.mapping.models import ActionItem, ActionStatus, JourneyMap
from workflows.render.table import actions_csv

HEADER = ["id", "title", "owner", "due", "status", "stage", "pain_point", "owner_id"]
MESSY = 'Call back, then "escalate"\nif they say: no, thanks'


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "the BOM tells Excel it is UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def by_id(text: str) -> dict[str, dict[str, str]]:
    header, *rows = rows_of(text)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


@pytest.fixture
def journey_map() -> JourneyMap:
    journey_map = sample_map(3, 3)
    journey_map.people["U0ZOE"] = "Zoë Ünal"
    journey_map.action_items += [
        # No stage of its own: it takes the stage of its pain point (the fourth is the second stage's first).
        ActionItem(id="A20", title="Rewrite the pricing FAQ", owner="U0ZOE", pain_point="pain_points-4"),
        ActionItem(id="A21", title='=HYPERLINK("http://evil.example","click")', owner="U0NOBODY"),
        ActionItem(id="A22", title="+1 for the redesign", status=ActionStatus.dropped),
        ActionItem(id="A23", title="-2 days of onboarding", due=date(2027, 1, 31)),
        ActionItem(id="A24", title="@SUM(A1:A9)"),
        ActionItem(id="A25", title="\tcmd|' /C calc'!A0"),
        ActionItem(id="A26", title="\r=1+1"),
        ActionItem(id="A27", title=MESSY, stage="Research", pain_point="pain_points-1"),
    ]
    return journey_map


def test_header_and_one_row_per_action(journey_map: JourneyMap) -> None:
    header, *rows = rows_of(actions_csv(journey_map))
    assert header == HEADER
    assert [row[0] for row in rows] == [a.id for a in journey_map.action_items]
    assert all(len(row) == len(HEADER) for row in rows)


def test_fields(journey_map: JourneyMap) -> None:
    rows = by_id(actions_csv(journey_map))
    assert rows["A1"] == {
        "id": "A1",
        "title": "Fix discover step 1",
        "owner": "Ana Alvarez",
        "due": "2027-03-01",
        "status": "open",
        "stage": "Discover",
        "pain_point": "Discover pain <!channel> & co 1",
        "owner_id": "U0ANA",
    }
    assert rows["A2"]["owner"] == "Ben Okafor" and rows["A2"]["status"] == "in_progress"
    assert rows["A3"]["owner"] == "" and rows["A3"]["owner_id"] == "" and rows["A3"]["due"] == ""
    assert rows["A3"]["status"] == "done"
    # Tied to no stage and no pain point.
    assert rows["A10"]["title"] == "Write the quarterly review"
    assert rows["A10"]["stage"] == "" and rows["A10"]["pain_point"] == ""
    # The stage of its pain point, and the display name with its accents.
    assert rows["A20"]["stage"] == "Research"
    assert rows["A20"]["pain_point"] == "Research pain <!channel> & co 1"
    assert rows["A20"]["owner"] == "Zoë Ünal" and rows["A20"]["owner_id"] == "U0ZOE"
    # A name nobody recorded falls back to the Slack id.
    assert rows["A21"]["owner"] == "U0NOBODY"
    assert rows["A22"]["status"] == "dropped"
    # Its own stage wins over its pain point's.
    assert rows["A27"]["stage"] == "Research" and rows["A27"]["pain_point"] == "Discover pain <!channel> & co 1"


def test_formulas_are_defused(journey_map: JourneyMap) -> None:
    rows = by_id(actions_csv(journey_map))
    assert rows["A21"]["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows["A22"]["title"] == "'+1 for the redesign"
    assert rows["A23"]["title"] == "'-2 days of onboarding"
    assert rows["A24"]["title"] == "'@SUM(A1:A9)"
    assert rows["A25"]["title"] == "'\tcmd|' /C calc'!A0"
    assert rows["A26"]["title"] == "'\r=1+1"
    assert rows["A23"]["due"] == "2027-01-31"  # dates and plain text are left alone
    assert rows["A1"]["title"] == "Fix discover step 1"


def test_owner_names_and_stages_are_defused_too() -> None:
    journey_map = sample_map(3, 1)
    journey_map.people["U0ANA"] = "=cmd|'/C calc'!A0"
    journey_map.stages[0].name = "+Discover"
    journey_map.action_items[0].stage = "+Discover"
    rows = by_id(actions_csv(journey_map))
    assert rows["A1"]["owner"] == "'=cmd|'/C calc'!A0"
    assert rows["A1"]["stage"] == "'+Discover"


def test_quoting_round_trips_and_lines_end_in_crlf(journey_map: JourneyMap) -> None:
    text = actions_csv(journey_map)
    assert by_id(text)["A27"]["title"] == MESSY
    assert '"Call back, then ""escalate""\nif they say: no, thanks"' in text  # RFC 4180: quoted, quotes doubled
    body = text.removeprefix("\ufeff")
    assert body.startswith(",".join(HEADER) + "\r\n")
    assert body.endswith("\r\n")
    # Every record ends in CRLF; the only bare LF is the one inside the quoted title.
    assert body.count("\r\n") == len(journey_map.action_items) + 1
    assert body.count("\n") == body.count("\r\n") + 1
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert "Zoë Ünal".encode() in text.encode("utf-8")


def test_no_actions_is_just_the_header() -> None:
    journey_map = sample_map(3, 1)
    journey_map.action_items = []
    assert actions_csv(journey_map) == "\ufeff" + ",".join(HEADER) + "\r\n"
