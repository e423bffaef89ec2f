"""Every form a published map is kept in: a picture, a printable page, a spreadsheet of actions, Markdown, JSON.

One table of formats, so `journeybot export`, the files uploaded at publish and the demo never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from workflows.mapping.files import map_json, map_markdown
from workflows.mapping.models import JourneyMap
from workflows.render.page import render_html
from workflows.render.table import actions_csv


def _png(journey_map: JourneyMap) -> bytes:
    """matplotlib is imported on first use: every other command starts without paying for it."""
    from workflows.render.png import render_png

    return render_png(journey_map)


def _text(render: Callable[[JourneyMap], str]) -> Callable[[JourneyMap], bytes]:
    return lambda journey_map: render(journey_map).encode("utf-8")


RENDERERS: dict[str, tuple[str, Callable[[JourneyMap], bytes]]] = {
    "png": ("journey-map.png", _png),
    "html": ("journey-map.html", _text(render_html)),
    "md": ("journey-map.md", _text(map_markdown)),
    "json": ("journey-map.json", map_json),
    "csv": ("journey-map-actions.csv", _text(actions_csv)),
}
FORMATS = tuple(RENDERERS)


def file_name(fmt: str) -> str:
    return RENDERERS[fmt][0]


def render(journey_map: JourneyMap, fmt: str) -> bytes:
    return RENDERERS[fmt][1](journey_map)


def map_files(journey_map: JourneyMap, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """File name -> content, in the order given."""
    return {file_name(fmt): render(journey_map, fmt) for fmt in formats}
