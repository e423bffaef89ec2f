"""The map as Markdown (`journey-map.md`): what a reader of the file sees of each pain point."""

from __future__ import annotations

from tests.llm_fixtures import journey_map
from workflows.mapping.files import map_markdown
from workflows.mapping.models import PainPoint, StepKey, Theme


def test_a_pain_point_says_where_it_hurts_unless_its_touchpoint_has_its_name() -> None:
    the_map = journey_map()
    the_map.steps[StepKey.touchpoints] = [Theme(id="touchpoints-2", title="Website checkout")]
    purchase = next(stage for stage in the_map.stages if stage.name == "Purchase")
    purchase.pain_points.append(
        PainPoint(theme_id="pain_points-9", title="website checkout", touchpoint="touchpoints-2", votes=0, severity=1)
    )

    lines = map_markdown(the_map).splitlines()

    assert "- Pain point: Card declined at checkout at Website checkout (2 votes, severity 3/3)" in lines
    assert "- Pain point: website checkout (0 votes, severity 1/3)" in lines
