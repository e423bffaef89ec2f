"""The map image (journey-map.png): it opens, it holds what the map says, and nothing spills out of its cell
whatever the number of stages, items and words. Checked on the drawn text objects, not by reading pixels."""

from __future__ import annotations

import io
import math
import re
import warnings
from functools import cache

import pytest
from matplotlib.collections import Collection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from PIL import Image

from tests.map_samples import sample_map
from workflows.mapping.models import Contribution, Evidence, JourneyMap, ObjectiveCard, StepKey
from workflows.render.grid import map_grid
from workflows.render.palette import ASSUMPTION, BLUISH_GREEN, OKABE_ITO
from workflows.render.png import MapDrawing, Rect, draw_map, render_png

SIZES = [(3, 2, False), (5, 3, False), (8, 10, True)]


@cache
def drawn(stages: int, items: int, long: bool = False) -> MapDrawing:
    """Drawing is the slow part: each sample map is drawn once for the whole module."""
    return draw_map(sample_map(stages, items, long))


def texts(drawing: MapDrawing, prefix: str = "") -> list[str]:
    return [t.get_text() for cell in drawing.cells if cell.name.startswith(prefix) for t in cell.texts]


def joined(drawing: MapDrawing, name: str) -> str:
    """A cell's text as one string, lines joined, to find a phrase that wrapped."""
    return " ".join(t.get_text() for t in drawing.cell(name).texts)


def test_the_png_opens_at_the_size_reported_and_widens_with_the_stages():
    sizes = []
    for stages in (3, 8):
        journey_map = sample_map(stages, 1)
        image = Image.open(io.BytesIO(render_png(journey_map)))
        assert image.format == "PNG"
        assert image.size == draw_map(journey_map).size
        sizes.append(image.size)
    assert sizes[1][0] - sizes[0][0] >= 5 * 250  # five more stage columns, none squeezed


def test_the_height_follows_the_content():
    short, tall = draw_map(sample_map(5, 1)), drawn(5, 3)
    assert short.size[0] == tall.size[0]
    assert short.size[1] < tall.size[1]


def test_stage_names_touchpoints_owners_objective_and_persona_are_on_the_map():
    journey_map = sample_map(5, 3)
    drawing = drawn(5, 3)
    everything = texts(drawing)
    for stage in journey_map.stages:
        assert stage.name in texts(drawing, f"stage:{stage.name}")
        for touchpoint in stage.touchpoints:
            assert any(touchpoint.title.startswith(t.rstrip("…")) for t in texts(drawing, "touchpoints:"))
    for name in journey_map.people.values():
        assert any(name in t for t in everything)
    assert journey_map.objective in joined(drawing, "header")
    assert "Frida the freelancer" in joined(drawing, "header")
    assert "67% of themes rest on evidence" in joined(drawing, "header")


@pytest.mark.parametrize(("stages", "items", "long"), SIZES)
def test_no_text_is_drawn_outside_its_cell(stages: int, items: int, long: bool):
    drawing = drawn(stages, items, long)
    width, height = drawing.size
    page = Rect(0, 0, width, height)
    for cell in drawing.cells:
        assert page.contains(cell.rect, tolerance=0.5), cell.name
        for text in cell.texts:
            assert cell.rect.contains(drawing.extent(text), tolerance=1.5), (cell.name, text.get_text())
    filed = {id(t) for cell in drawing.cells for t in cell.texts}
    assert all(id(t) in filed for t in drawing.figure.findobj(Text))  # no text outside every cell


def test_long_texts_end_with_an_ellipsis_and_full_cells_say_how_many_more():
    drawing = drawn(8, 10, True)
    cells = [cell for cell in drawing.cells if cell.name.startswith("actions:")]
    assert len(cells) == 8
    for cell in cells:
        lines = [t.get_text() for t in cell.texts]
        cards = [line for line in lines if re.match(r"A\d+ Customers", line)]
        more = [int(m.group(1)) for line in lines if (m := re.fullmatch(r"\+(\d+) more", line))]
        assert 2 <= len(cards) < 10
        assert more == [10 - len(cards)]
        assert any(line.endswith("…") for line in lines)


def test_one_or_two_stages_still_fit_the_header():
    for stages in (1, 2):
        drawing = draw_map(sample_map(stages, 2))
        for cell in drawing.cells:
            for text in cell.texts:
                assert cell.rect.contains(drawing.extent(text), tolerance=1.5), (cell.name, text.get_text())


def literal_map() -> JourneyMap:
    journey_map = sample_map(3, 1)
    journey_map.stages[0].pain_points[0].title = "Costs $5 or $10 <!channel> & \\alpha"
    journey_map.objective = "Fix $x$ for <!here> & co 🎉"
    return journey_map


def test_user_text_is_drawn_literally_never_as_math():
    drawing = draw_map(literal_map())
    assert "Costs $5 or $10 <!channel> & \\alpha" in joined(drawing, "pain_points:Discover")
    assert "Fix $x$ for <!here> & co \ufffd" in joined(drawing, "header")  # the emoji DejaVu lacks is marked
    assert "Discover pain <!channel> & co 1" not in joined(drawing, "pain_points:Discover")
    for text in drawing.figure.findobj(Text):
        assert not text.get_parse_math() and not text.get_usetex()


def test_no_glyph_is_missing_from_the_font():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would fail the test
        Image.open(io.BytesIO(render_png(literal_map()))).load()


def test_assumptions_and_done_actions_are_marked():
    journey_map = sample_map(5, 3)
    grid = map_grid(journey_map)
    drawing = drawn(5, 3)
    for stage in grid.stages:
        marks = [t for t in drawing.cell(f"touchpoints:{stage.name}").texts if t.get_text() == "⚠"]
        assert len(marks) == sum(item.assumption for item in stage.touchpoints)
        assert all(to_hex(t.get_color()) == ASSUMPTION.lower() for t in marks)
        checks = [t for t in drawing.cell(f"actions:{stage.name}").texts if t.get_text() == "✓"]
        assert len(checks) == sum(item.done for item in stage.actions)
        assert all(to_hex(t.get_color()) == BLUISH_GREEN.lower() for t in checks)
    assert sum(item.assumption for stage in grid.stages for item in stage.touchpoints) > 0
    legend = joined(drawing, "legend")
    assert "⚠" in legend and "assumptions" in legend and "rated" in legend and "estimated" in legend


def test_other_actions_get_a_full_width_row_at_the_bottom():
    drawing = drawn(5, 3)
    row = drawing.cell("other_actions")
    assert "Write the quarterly review" in joined(drawing, "other_actions")
    stages = [drawing.cell(f"actions:{name}").rect for name in ("Discover", "Use")]
    assert row.rect.x0 == stages[0].x0 and row.rect.x1 == stages[1].x1
    assert row.rect.y0 >= stages[0].y1


def emotion_lines(drawing: MapDrawing) -> dict[str, Line2D]:
    return {line.get_gid(): line for line in drawing.figure.findobj(Line2D) if line.get_gid()}


def test_the_emotion_line_breaks_where_a_stage_has_no_emotion_and_tells_rated_from_estimated():
    journey_map = sample_map(5, 2)
    journey_map.stages[2].emotion = None  # nothing rated or estimated: a gap, not a zero
    for touchpoint in journey_map.stages[3].touchpoints:
        touchpoint.ratings = 0  # the engine's estimate only
    drawing = draw_map(journey_map)
    lines = emotion_lines(drawing)
    ys = list(lines["emotion-line"].get_ydata())
    assert math.isnan(ys[2]) and not any(math.isnan(y) for y in ys[:2] + ys[3:])
    rated, estimated = lines["emotion-rated"], lines["emotion-estimated"]
    assert len(rated.get_xdata()) == 3 and list(estimated.get_xdata()) == [lines["emotion-line"].get_xdata()[3]]
    assert to_rgba(rated.get_markerfacecolor()) != to_rgba(estimated.get_markerfacecolor())
    labels = texts(drawing, "emotion")
    assert "not rated" in labels
    assert {"-2 angry", "0 neutral", "+2 delighted"} <= set(texts(drawing, "label:emotion"))
    assert f"{journey_map.stages[3].emotion:+.1f} · estimate" in labels
    assert ys[0] < ys[1]  # +0.5 is drawn above -1.0: up is positive


def is_grey(rgba: tuple[float, float, float, float]) -> bool:
    return rgba[0] == rgba[1] == rgba[2]


def colours_used(drawing: MapDrawing) -> list[tuple[float, float, float, float]]:
    used = [to_rgba(t.get_color()) for t in drawing.figure.findobj(Text)]
    for line in drawing.figure.findobj(Line2D):
        used += [to_rgba(c) for c in (line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor())]
    for patch in drawing.figure.findobj(Patch):
        used += [c for c in (patch.get_facecolor(), patch.get_edgecolor()) if c[3] > 0]
    for fill in drawing.figure.findobj(Collection):
        used += [tuple(c) for c in fill.get_facecolor()]
    return used


def test_only_the_colour_blind_safe_palette_and_greys_are_used():
    palette = {to_rgba(c)[:3] for c in OKABE_ITO}
    used = colours_used(drawn(5, 3))
    assert all(is_grey(c) or c[:3] in palette for c in used), {to_hex(c) for c in used}
    assert {to_rgba(c)[:3] for c in ("#0072B2", "#D55E00", "#E69F00")} <= {c[:3] for c in used}


def test_body_text_is_never_smaller_than_9_points():
    drawing = drawn(8, 10, True)
    assert min(t.get_fontsize() for t in drawing.figure.findobj(Text)) >= 9
    assert {t.get_fontname() for t in drawing.figure.findobj(Text)} == {"DejaVu Sans"}


RAIL_CARD = ObjectiveCard(
    question="Why do passengers give up on their Delay Repay claims halfway?",
    scope=["From the delay announcement on the platform to the refund in the passenger's account"],
    success_measures=["Claims paid within 5 working days: from 38% today to 90% by September"],
    decision="Whether we build automatic refunds or keep the claim form",
)


def quoted_map() -> JourneyMap:
    """The three-stage sample with a rail operator's objective card, customers' words in two notes and the
    team's commentary in another; the sample's own notes ("…: as a customer said") are team notes."""
    journey_map = sample_map(3, 2)
    touchpoints, pains = journey_map.steps[StepKey.touchpoints], journey_map.steps[StepKey.pain_points]
    touchpoints[0].contributions.append(
        Contribution(
            user="U0ANA",
            ts="1700000001.000100",
            text='Passenger email: "I waited forty minutes on the platform and nobody told us why."',
            evidence=Evidence.ticket,
        )
    )
    touchpoints[1].contributions.append(
        Contribution(
            user="U0BEN",
            ts="1700000002.000100",
            text="Consideration: the journey planner on the website, then a chat with the help team",
        )
    )
    pains[2].contributions.append(  # placed on the second stage
        Contribution(
            user="U0BEN",
            ts="1700000003.000100",
            text="I never know which platform the replacement bus leaves from",
            evidence=Evidence.interview,
        )
    )
    return journey_map.model_copy(update={"objective_card": RAIL_CARD})


def test_the_quotes_lane_holds_customers_words_at_their_stage_and_never_team_notes():
    drawing = draw_map(quoted_map())
    discover, research = joined(drawing, "thoughts:Discover"), joined(drawing, "thoughts:Research")
    assert "I waited forty minutes on the platform" in discover and "heard by Ana Alvarez" in discover
    assert "I never know which platform the replacement bus" in research and "Ben Okafor" in research
    assert joined(drawing, "thoughts:Sign up") == "–"  # no customer quote there: nothing, not a team note
    thoughts = " ".join(texts(drawing, "thoughts:"))
    assert "journey planner" not in thoughts and "as a customer said" not in thoughts


def test_the_header_says_what_the_map_is_for_with_its_numbers():
    header = joined(draw_map(quoted_map()), "header")
    assert "Why: Why do passengers give up on their Delay Repay claims halfway?" in header
    assert "Scope: From the delay announcement on the platform" in header
    assert "Claims paid within 5 working days: from 38% today to 90% by September" in header
    assert "Decision: Whether we build automatic refunds or keep the claim form" in header


def test_the_pain_lane_shows_severity_only_where_it_is_set_and_says_so():
    rated = draw_map(quoted_map())
    assert "severity" in joined(rated, "label:pain_points")
    unrated_map = quoted_map()
    for stage in unrated_map.stages:
        for pain in stage.pain_points:
            pain.severity = None
    unrated = draw_map(unrated_map)
    assert "severity" not in joined(unrated, "label:pain_points")
    assert "votes" in joined(unrated, "label:pain_points")
    assert not any("severity" in text for text in texts(unrated, "pain_points:"))
