"""The printable page, opened in a real headless Chromium: it loads with nothing but itself, shows every stage and
action, keeps hostile text as text, draws the emotion curve and prints on A4 landscape.

Needs Debian's Chromium (`apt-get install chromium`, which `make test` does where it can) or a Chromium binary named
by $CHROMIUM; without one the browser checks are skipped with a message saying so, except in CI (`CI` set), where
they must run. Screenshots and the printed PDF are kept under `test-artifacts/` for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.map_samples import sample_map
from workflows.mapping.models import ActionStatus, JourneyMap, ObjectiveCard
from workflows.render.grid import map_grid
from workflows.render.page import render_html

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    "Chromium was not found, and the printable page's tests need a real browser: install it with "
    "`apt-get install chromium` (Debian/Ubuntu), or point $CHROMIUM at a Chromium binary."
)
SAMPLES = {"5x3": (5, 3, False), "8x10-long": (8, 10, True)}
MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]")


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    return path if path and Path(path).is_file() else None


@dataclass
class Opened:
    """A page as the browser loaded it, with everything it said and fetched on the way."""

    name: str
    journey_map: JourneyMap
    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_map(browser: Browser, journey_map: JourneyMap, path: Path, name: str) -> Opened:
    path.write_text(render_html(journey_map), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    opened = Opened(name=name, journey_map=journey_map, page=page, url=path.as_uri())
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on(
        "console",
        lambda msg: opened.console.append(f"{msg.type}: {msg.text}") if msg.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.goto(opened.url, wait_until="load")
    return opened


# CI always runs the browser checks; elsewhere, only where no Chromium can be had, they are skipped and say why.
pytestmark = pytest.mark.skipif(
    chromium_path() is None and not os.environ.get("CI"),
    reason=f"NO BROWSER, browser checks skipped. {MISSING_CHROMIUM}",
)


def test_chromium_is_installed() -> None:
    assert chromium_path(), MISSING_CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    assert path, MISSING_CHROMIUM
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=list(SAMPLES), ids=list(SAMPLES))
def opened(
    request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opened]:
    stages, items, long = SAMPLES[request.param]
    path = tmp_path_factory.mktemp("map-html") / f"journey-map-{request.param}.html"
    result = open_map(browser, sample_map(stages, items, long=long), path, request.param)
    ARTIFACTS.mkdir(exist_ok=True)
    result.page.screenshot(path=ARTIFACTS / f"journey-map-{request.param}.png", full_page=True)
    yield result
    result.page.close()


def test_loads_without_errors_or_requests(opened: Opened) -> None:
    assert opened.console == []
    assert opened.errors == []
    assert opened.requests == [opened.url]
    html = opened.page.content()
    assert "<link" not in html and "@import" not in html and "url(" not in html.replace("url(#emotion-gaps)", "")
    assert opened.page.locator("script").count() == 0


def test_every_stage_and_action_is_on_the_page(opened: Opened) -> None:
    page, journey_map = opened.page, opened.journey_map
    heads = page.locator("thead th[data-stage]")
    assert [heads.nth(i).get_attribute("data-stage") for i in range(heads.count())] == [
        s.name for s in journey_map.stages
    ]
    for stage in journey_map.stages:
        assert stage.name in page.locator(f'thead th[data-stage="{stage.name}"]').inner_text()
        assert page.locator(f'tr[data-lane="touchpoints"] td[data-stage="{stage.name}"] li').count() == len(
            stage.touchpoints
        )
    shown = [a for a in journey_map.action_items if a.status is not ActionStatus.dropped]
    # One round trip for all of them: the long sample has eighty.
    found = page.evaluate(
        """() => [...document.querySelectorAll('[data-action]')].map(e => ({
            id: e.dataset.action, status: e.dataset.status, text: e.innerText,
            due: e.querySelector('time')?.getAttribute('datetime') ?? null}))"""
    )
    by_id = {f["id"]: f for f in found}
    assert len(found) == len(by_id) == len(shown)
    for action in shown:
        item = by_id[action.id]
        assert action.id in item["text"] and action.title in item["text"]
        assert item["status"] == action.status.value
        if action.owner:
            assert f"@{journey_map.people[action.owner]}" in item["text"]
        assert item["due"] == (action.due.isoformat() if action.due else None)
    done = page.locator('[data-action][data-status="done"]')
    assert done.count() == sum(a.status is ActionStatus.done for a in shown)
    assert "done" in done.first.inner_text().lower()
    # The sample's last action belongs to no stage: it gets a row of its own.
    assert page.locator(f'tr[data-lane="other_actions"] [data-action="{shown[-1].id}"]').count() == 1


def test_user_text_shows_as_text(opened: Opened) -> None:
    text = opened.page.locator("body").inner_text()
    assert opened.journey_map.objective in text  # "… <@U0BEN> knows"
    if opened.name == "5x3":
        assert "Discover pain <!channel> & co 1" in text
    source = opened.page.content()
    assert "<!channel>" not in source and "<@U0BEN>" not in source  # escaped in the markup, shown as text


def test_emotion_curve(opened: Opened) -> None:
    page = opened.page
    grid = map_grid(opened.journey_map)
    rated = [c for c in grid.stages if c.emotion is not None]
    assert rated, "the samples rate every stage"
    svg = page.locator('tr[data-lane="emotion"] svg.emotion')
    assert svg.count() == 1
    line = svg.locator("polyline.emotion-line")
    assert line.count() == 1
    points = line.get_attribute("points").split()
    assert len(points) == len(rated)
    ys = [float(p.split(",")[1]) for p in points]
    # Higher emotion is drawn higher up.
    for (a, ya), (b, yb) in zip(zip(rated, ys, strict=True), zip(rated[1:], ys[1:], strict=True), strict=False):
        assert (a.emotion - b.emotion) * (yb - ya) >= 0
    markers = svg.locator("circle.emotion-point")
    assert markers.count() == len(rated)
    for column in rated:
        marker = svg.locator(f'circle[data-stage="{column.name}"]')
        assert marker.get_attribute("data-rated") == str(column.rated_by > 0).lower()
        expected_fill = "#000000" if column.rated_by else "#FFFFFF"
        assert marker.get_attribute("fill") == expected_fill
    assert svg.locator("line.zero").count() == 1
    labels = svg.locator("text").all_text_contents()
    assert {"+2", "+1", "0", "−1", "−2"} <= set(labels)
    box = svg.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 60


def test_prints_on_a4_landscape(opened: Opened) -> None:
    page = opened.page
    page.emulate_media(media="print")
    try:
        page.screenshot(path=ARTIFACTS / f"journey-map-{opened.name}-print.png", full_page=True)
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        page.emulate_media(media="screen")
    (ARTIFACTS / f"journey-map-{opened.name}.pdf").write_bytes(pdf)
    boxes = [tuple(float(v) for v in m.groups()) for m in MEDIABOX.finditer(pdf)]
    assert boxes, "the PDF has no /MediaBox"
    for x0, y0, x1, y1 in boxes:
        width, height = x1 - x0, y1 - y0
        assert width > height, (width, height)
        assert abs(width - 842) < 3 and abs(height - 595) < 3  # A4 in points
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    if opened.name == "5x3":
        assert pages == 1, "a five-stage map fits on one sheet"
    else:
        assert pages > 1
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert opened.requests == [opened.url]


def test_hostile_text_stays_text(browser: Browser, tmp_path: Path) -> None:
    journey_map = sample_map(3, 1)
    journey_map.objective = '<script>window.pwned = 1</script> & <img src=x onerror="window.pwned = 2">'
    journey_map.stages[1].name = 'Sign "up" <b>now</b>'
    journey_map.action_items[0].title = '<a href="https://example.com/">click</a> =HYPERLINK("x") <!channel>'
    journey_map.people["U0ANA"] = "Ana <iframe src=x>"
    opened = open_map(browser, journey_map, tmp_path / "hostile.html", "hostile")
    try:
        page = opened.page
        assert page.evaluate("window.pwned") is None
        assert page.locator("script, img, iframe, a").count() == 0
        assert page.locator("b", has_text="now").count() == 0
        assert opened.requests == [opened.url]
        assert opened.errors == [] and opened.console == []
        text = page.locator("body").inner_text()
        assert journey_map.objective in text
        assert journey_map.action_items[0].title in text
        assert "@Ana <iframe src=x>" in text
        assert page.locator("thead th[data-stage]").nth(1).get_attribute("data-stage") == 'Sign "up" <b>now</b>'
        assert page.title().startswith("Journey map: <script>")
    finally:
        opened.page.close()


def test_gaps_and_estimates(browser: Browser, tmp_path: Path) -> None:
    """A stage nobody rated leaves a gap in the line; an estimated one gets a hollow marker."""
    journey_map = sample_map(5, 2)
    journey_map.stages[2].emotion = None
    for touchpoint in journey_map.stages[3].touchpoints:
        touchpoint.ratings = 0
    opened = open_map(browser, journey_map, tmp_path / "gaps.html", "gaps")
    try:
        svg = opened.page.locator("svg.emotion")
        assert svg.locator("polyline.emotion-line").count() == 1
        assert len(svg.locator("polyline.emotion-line").get_attribute("points").split()) == 4
        assert svg.locator("mask rect").count() == 2  # the whole line, and one hole where the third stage is
        assert svg.locator('circle[data-stage="Sign up"]').count() == 0
        assert svg.locator('circle[data-stage="Onboard"]').get_attribute("data-rated") == "false"
        assert svg.locator('circle[data-stage="Onboard"]').get_attribute("fill") == "#FFFFFF"
        assert "not rated" in svg.locator("text").all_text_contents()
        assert opened.console == [] and opened.errors == []
    finally:
        opened.page.close()


def test_the_page_says_what_the_map_is_for_and_labels_the_pain_lane_by_what_it_shows() -> None:
    card = ObjectiveCard(
        question="Where do new admins of the analytics tool get stuck before inviting a teammate?",
        success_measures=["60% of new workspaces invite a teammate in week 1 (41% today)"],
        decision="What the Q3 onboarding rebuild starts with",
    )
    journey_map = sample_map(3, 2).model_copy(update={"objective_card": card})
    page = render_html(journey_map)
    assert '<dl class="objective">' in page
    assert "60% of new workspaces invite a teammate in week 1 (41% today)" in page
    assert "What the Q3 onboarding rebuild starts with" in page
    assert "votes, severity (1-3) and notes" in page
    for stage in journey_map.stages:
        for pain in stage.pain_points:
            pain.severity = None
    unrated = render_html(journey_map)
    body = unrated.split("</style>", 1)[1]
    assert "votes and notes" in body and "severity" not in body
