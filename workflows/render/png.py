"""The map image (`journey-map.png`): the grid drawn with matplotlib, for slides and the wall.

Drawn with the object-oriented API (a `Figure` on a `FigureCanvasAgg`, never pyplot) because the bot renders from
worker threads and pyplot keeps global state. Everything is laid out in image pixels at 100 dpi and every line of
text is measured before it is placed, so text wraps and truncates inside its cell instead of spilling over, and the
image grows with the map instead of shrinking the type. User text is never parsed as mathtext or TeX.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from workflows.mapping.files import EMOTION_WORDS
from workflows.mapping.models import JourneyMap
from workflows.render.grid import LANES, Coverage, Item, MapGrid, StageColumn, map_grid
from workflows.render.palette import ASSUMPTION, BLACK, BLUE, BLUISH_GREEN, LANE_COLOURS, VERMILLION

DPI = 100
MARGIN = 28
LABEL_W = 168  # the lane labels down the left
COL_W = 280  # one stage column; fixed, so more stages make a wider image rather than smaller type
MIN_GRID_W = 3 * COL_W  # one or two stages get wider columns so the header still fits
PAD = 10
GUTTER = 22  # left of each item: its lane-coloured bar and its markers
BAR_W = 3
ITEM_GAP = 10
TITLE_LINES = 3
DETAIL_LINES = 2
LANE_MIN = 56
LANE_MAX = 640  # past this a cell shows "+N more"
EMOTION_H = 200
EMOTION_INSET = 38  # room above +2 and below -2 for the value labels
CHEVRON = 12
LEGEND_W = 320
HEADER_GAP = 20

INK = "#1A1A1A"
MUTED = "#595959"
RULE = "#D0D0D0"
SOFT_RULE = "#E6E6E6"
BAND = "#F3F3F3"
WHITE = "#FFFFFF"

ASSUMPTION_MARK = "⚠"  # the same sign the Markdown map uses
DONE_MARK = "✓"
ELLIPSIS = "…"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# Matplotlib's bundled DejaVu Sans, by file, so the image is the same on every machine whatever fonts it has.
FACES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}
A = TypeVar("A", bound=Artist)
PROBE = "ÅÉÖ|()[]{}gjpqy“⚠✓"  # the tallest and deepest glyphs a line is likely to hold


@dataclass(frozen=True)
class Style:
    face: str  # a key of FACES
    size: float  # points
    colour: str


KICKER = Style("bold", 9, BLUE)
TITLE = Style("bold", 18, INK)
PERSONA = Style("bold", 11, INK)
OBJECTIVE = Style("regular", 10, INK)
OBJECTIVE_LINES = {"Success measures": 4, "Why": 3}  # lines each part of the objective may take; others 2
META = Style("regular", 9.5, MUTED)
COVERAGE = Style("regular", 9.5, INK)
LEGEND_HEAD = Style("bold", 9.5, INK)
LEGEND = Style("regular", 9, INK)
STAGE = Style("bold", 12, WHITE)
LANE = Style("bold", 11, INK)
LANE_NOTE = Style("regular", 9, MUTED)
BODY = Style("regular", 10, INK)
QUOTE = Style("italic", 10, INK)
DONE = Style("regular", 10, MUTED)
DETAIL = Style("regular", 9, MUTED)
MORE = Style("italic", 9, MUTED)
SCALE = Style("regular", 9, MUTED)
VALUE = Style("bold", 9, INK)
MARK = Style("bold", 10, INK)  # colour comes from the mark


@dataclass(frozen=True)
class Rect:
    """A rectangle in image pixels, origin at the top left, as Pillow counts them."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, other: Rect, tolerance: float = 0.0) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )


@dataclass
class Cell:
    """One region of the map (the header, a stage name, a lane of a stage…) and the text drawn in it."""

    name: str
    rect: Rect
    texts: list[Text] = field(default_factory=list)


@dataclass
class MapDrawing:
    """The drawn map before it is saved: callers and tests inspect its cells and text instead of the pixels."""

    figure: Figure
    size: tuple[int, int]  # (width, height) in pixels of the PNG it saves to
    cells: list[Cell]

    def cell(self, name: str) -> Cell:
        return next(cell for cell in self.cells if cell.name == name)

    def extent(self, text: Text) -> Rect:
        """Where `text` lands in the image, in the cells' coordinates."""
        box = text.get_window_extent(self.figure.canvas.get_renderer())
        height = self.size[1]
        return Rect(box.x0, height - box.y1, box.x1, height - box.y0)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        # No "Software" chunk: the bytes depend on the map, not on the matplotlib version.
        self.figure.savefig(buffer, format="png", dpi=DPI, facecolor=WHITE, metadata={"Software": None})
        return buffer.getvalue()


def render_png(journey_map: JourneyMap) -> bytes:
    """`journey-map.png`: the map as an image people paste into slides and print for the wall."""
    return draw_map(journey_map).png()


# Text: cleaned for the font, measured, wrapped.


@lru_cache(maxsize=64)
def font(face: str, size: float) -> FontProperties:
    return FontProperties(fname=FONT_DIR / FACES[face], size=size)


@lru_cache(maxsize=8)
def _charmap(face: str) -> frozenset[int]:
    return frozenset(FT2Font(str(FONT_DIR / FACES[face])).get_charmap())


_MEASURE = RendererAgg(1, 1, DPI)  # widths depend only on the font, the size and the dpi


@lru_cache(maxsize=50_000)
def _metrics(text: str, face: str, size: float) -> tuple[float, float, float]:
    """(width, height, descent) in pixels, as Agg will draw it."""
    return _MEASURE.get_text_width_height_descent(text, font(face, size), ismath=False)


def width_of(text: str, style: Style) -> float:
    return _metrics(text, style.face, style.size)[0]


@lru_cache(maxsize=64)
def line_box(face: str, size: float) -> tuple[float, float, float]:
    """(ascent, descent, pitch) in pixels: room that holds any line of this font, and the distance between
    baselines."""
    _, height, descent = _metrics(PROBE, face, size)
    return height - descent, descent, math.ceil(size * DPI / 72 * 1.3)


def forget_measurements() -> None:
    """Empties the text-measurement caches, so a benchmark run pays for its text as a new map would."""
    for cached in (_metrics, line_box, _word_gap):
        cached.cache_clear()


def printable(text: str, face: str) -> str:
    """The text with control and format characters dropped and glyphs the font lacks (emoji) shown as �, so
    matplotlib never warns about a missing glyph and draws no empty boxes."""
    if text.isascii() and text.isprintable():
        return text
    chars = _charmap(face)
    kept = []
    for char in text:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue
        else:
            kept.append(char if ord(char) in chars else "\ufffd")
    return "".join(kept)


def wrap(text: str, style: Style, width: float, max_lines: int, phrases: bool = False) -> tuple[str, ...]:
    """Lines of `text` no wider than `width`; past `max_lines` the last one ends with "…". With `phrases`, lines
    break between the " · " parts of a detail line where they fit, not inside "due 01 Mar 2027"."""
    words = _tokens(printable(text, style.face), style, width, phrases)
    lines: list[str] = []
    while words and len(lines) < max_lines:
        lines.append(_take_line(words, style, width))
    if words:
        lines[-1] = _ellipsize(lines[-1], style, width)
    return tuple(lines) or ("–",)


def _tokens(text: str, style: Style, width: float, phrases: bool) -> list[str]:
    """What a line breaks between: words, or " · " phrases (split into words only if one is wider than a line)."""
    if not phrases:
        return text.split()
    parts = [" ".join(part.split()) for part in text.split(" · ")]
    tokens: list[str] = []
    for number, part in enumerate(parts):
        phrase = f"{part} ·" if number < len(parts) - 1 else part
        tokens += [phrase] if width_of(phrase, style) <= width else phrase.split()
    return [token for token in tokens if token]


def _take_line(words: list[str], style: Style, width: float) -> str:
    """Takes the words that fit on one line off the front of `words`; a word too wide for a line (a URL) is split.

    Shaping text is the slow part of measuring it, so the line is estimated from its words' cached widths and
    only the result is measured whole."""
    gap = _word_gap(style.face, style.size)
    count, estimate = 0, -gap
    while count < len(words) and estimate + gap + width_of(words[count], style) <= width:
        estimate += gap + width_of(words[count], style)
        count += 1
    if not count:
        head = _longest_prefix(words[0], style, width)
        words[0] = words[0][len(head) :]
        return head
    while count > 1 and width_of(" ".join(words[:count]), style) > width:
        count -= 1
    line = " ".join(words[:count])
    del words[:count]
    return line


@lru_cache(maxsize=64)
def _word_gap(face: str, size: float) -> float:
    """What a space between two words adds to a line's width."""
    return _metrics("n n", face, size)[0] - 2 * _metrics("n", face, size)[0]


def _longest_prefix(word: str, style: Style, width: float) -> str:
    low, high = 1, len(word)  # at least one character, so wrapping always moves on
    while low < high:
        middle = (low + high + 1) // 2
        if width_of(word[:middle], style) <= width:
            low = middle
        else:
            high = middle - 1
    return word[:low]


def _ellipsize(line: str, style: Style, width: float) -> str:
    while line and width_of(line + ELLIPSIS, style) > width:
        line = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
    return line + ELLIPSIS


# Layout: blocks of lines and items measured before anything is drawn.


@dataclass(frozen=True)
class Block:
    """Wrapped lines in one style, with the space to leave above them."""

    lines: tuple[str, ...]
    style: Style
    space_before: float = 0.0

    @property
    def height(self) -> float:
        ascent, descent, pitch = line_box(self.style.face, self.style.size)
        return self.space_before + ascent + (len(self.lines) - 1) * pitch + descent


def block(
    text: str, style: Style, width: float, max_lines: int, space_before: float = 0.0, phrases: bool = False
) -> Block:
    return Block(wrap(text, style, width, max_lines, phrases), style, space_before)


def stack_height(blocks: Sequence[Block]) -> float:
    return sum(b.height for b in blocks)


@dataclass(frozen=True)
class Card:
    """One item of a cell: its title and detail blocks, and the marks shown in its gutter."""

    blocks: tuple[Block, ...]
    marks: tuple[tuple[str, str], ...]  # (glyph, colour)
    colour: str  # the lane's, for the bar down its left

    @property
    def height(self) -> float:
        return stack_height(self.blocks)


def card(item: Item, lane: str, width: float) -> Card:
    text_width = width - GUTTER
    style = QUOTE if lane == "thoughts" else DONE if item.done else BODY
    blocks = [block(item.text, style, text_width, TITLE_LINES)]
    if item.detail:
        blocks.append(block(item.detail, DETAIL, text_width, DETAIL_LINES, space_before=3, phrases=True))
    marks = [(ASSUMPTION_MARK, ASSUMPTION)] * item.assumption + [(DONE_MARK, BLUISH_GREEN)] * item.done
    return Card(tuple(blocks), tuple(marks), LANE_COLOURS.get(lane, BLACK))


Rows = list[list[Card]]  # cards side by side, rows one under another; a stage's cell has one card a row


def rows_of(cards: list[Card], per_row: int) -> Rows:
    return [cards[start : start + per_row] for start in range(0, len(cards), per_row)]


def rows_height(rows: Rows) -> float:
    return sum(max(c.height for c in row) for row in rows) + ITEM_GAP * max(len(rows) - 1, 0)


def more_block(hidden: int) -> Block:
    return Block((f"+{hidden} more",), MORE, ITEM_GAP)


def fit(rows: Rows, room: float) -> tuple[Rows, int]:
    """The rows that fit in `room` pixels, and how many cards are left over for "+N more"."""
    if rows_height(rows) <= room:
        return rows, 0
    shown: Rows = []
    for row in rows:
        if rows_height([*shown, row]) + more_block(0).height > room:
            break
        shown.append(row)
    return shown, sum(len(row) for row in rows[len(shown) :])


@dataclass(frozen=True)
class Layout:
    """Where everything goes: computed from the measured text before the figure exists."""

    width: int
    height: int
    col_w: float
    header: list[Block]
    legend: list[Block]
    header_h: float
    stage_names: list[Block]
    stage_h: float
    lanes: dict[str, list[Rows]]  # lane key -> the cards of each stage, one a row (all but the emotion lane)
    lane_h: dict[str, float]  # in the order of LANES
    other: Rows  # actions tied to no stage, as many a row as there are stage columns
    other_h: float

    @property
    def grid_x(self) -> float:
        return MARGIN + LABEL_W

    @property
    def grid_top(self) -> float:
        return MARGIN + self.header_h + HEADER_GAP

    def column(self, index: int) -> float:
        return self.grid_x + index * self.col_w

    def rows(self) -> list[tuple[str, Rect]]:
        """Each lane's band across the map, top to bottom, then the other actions' if there are any."""
        heights = [*self.lane_h.items(), *([("other_actions", self.other_h)] if self.other else [])]
        bands, top = [], self.grid_top + self.stage_h
        for key, height in heights:
            bands.append((key, Rect(MARGIN, top, self.width - MARGIN, top + height)))
            top += height
        return bands


def header_blocks(grid: MapGrid, width: float) -> list[Block]:
    blocks = [
        Block(("CUSTOMER JOURNEY MAP",), KICKER),
        block(grid.title, TITLE, width, 3, space_before=6),
    ]
    blocks += [
        block(f"{label}: {text}", OBJECTIVE, width, OBJECTIVE_LINES.get(label, 2), space_before=4 if n else 8)
        for n, (label, text) in enumerate(grid.objective)
    ]
    blocks.append(block(f"Persona: {grid.persona or 'not described yet'}", PERSONA, width, 2, space_before=10))
    blocks += [block(line, META, width, 2, space_before=2) for line in grid.persona_lines]
    meta = f"Version {grid.version} · published {grid.generated:%d %b %Y} · engine: {grid.engine}"
    blocks.append(block(meta, META, width, 1, space_before=10))
    blocks.append(block(coverage_line(grid.coverage), COVERAGE, width, 2, space_before=2))
    return blocks


def coverage_line(coverage: Coverage) -> str:
    """How much of the map rests on evidence, e.g. "Evidence: 62% of themes rest on evidence (8 of 13); notes: 12
    interview, 3 ticket"."""
    if not coverage.themes:
        return "Evidence: no themes yet"
    kinds = sorted(coverage.sources.items(), key=lambda kind: (-kind[1], kind[0]))
    notes = ", ".join(f"{count} {kind}" for kind, count in kinds)
    share = f"{coverage.share:.0%} of themes rest on evidence ({coverage.evidenced} of {coverage.themes})"
    return f"Evidence: {share}; notes: {notes}" if notes else f"Evidence: {share}"


LEGEND_ROWS = (
    "Rests on assumptions only, no evidence",
    "Emotion rated by people (reactions)",
    "Emotion estimated by the engine",
    "Action done",
)


def legend_blocks() -> list[Block]:
    width = LEGEND_W - 2 * PAD - GUTTER
    rows = [block(text, LEGEND, width, 2, space_before=6) for text in LEGEND_ROWS]
    return [Block(("How to read this map",), LEGEND_HEAD), *rows]


def lane_height(cells: list[Rows]) -> float:
    """As tall as the tallest cell, within limits."""
    tallest = max((rows_height(rows) for rows in cells), default=0.0)
    return min(max(tallest + 2 * PAD, LANE_MIN), LANE_MAX)


def layout(grid: MapGrid) -> Layout:
    count = len(grid.stages)
    col_w = COL_W if count >= 3 else MIN_GRID_W / max(count, 1)
    grid_w = max(count * col_w, MIN_GRID_W)
    width = math.ceil(2 * MARGIN + LABEL_W + grid_w)
    header = header_blocks(grid, width - 2 * MARGIN - LEGEND_W - HEADER_GAP)
    legend = legend_blocks()
    header_h = max(stack_height(header), stack_height(legend) + 2 * PAD)
    names = [block(s.name, STAGE, col_w - 2 * CHEVRON - 2 * PAD, 2) for s in grid.stages]
    stage_h = max([b.height for b in names] + [line_box(STAGE.face, STAGE.size)[2]]) + 2 * PAD + 8
    card_w = col_w - 2 * PAD
    lanes = {
        key: [[[card(item, key, card_w)] for item in stage.lane(key)] for stage in grid.stages]
        for key, _ in LANES
        if key != "emotion"
    }
    lane_h = {key: float(EMOTION_H) if key == "emotion" else lane_height(lanes[key]) for key, _ in LANES}
    other = rows_of([card(item, "actions", card_w) for item in grid.other_actions], round(grid_w / col_w))
    other_h = lane_height([other]) if other else 0.0
    top = MARGIN + header_h + HEADER_GAP
    height = math.ceil(top + stage_h + sum(lane_h.values()) + other_h + MARGIN)
    return Layout(width, height, col_w, header, legend, header_h, names, stage_h, lanes, lane_h, other, other_h)


# Drawing: straight on the figure, in image pixels, y down.


class Painter:
    """Draws in image pixels (y down) straight on the figure, and files every Text under the cell it belongs to.

    No Axes: nothing here is data to scale, and axes would clip, track limits and slow every artist down.
    """

    def __init__(self, width: int, height: int) -> None:
        # A hair over the size: the canvas truncates width × dpi, and 113 / 100 * 100 is 112.99999999999999.
        self.figure = Figure(figsize=((width + 1e-3) / DPI, (height + 1e-3) / DPI), dpi=DPI, facecolor=WHITE)
        FigureCanvasAgg(self.figure)
        flip = Affine2D().scale(1 / DPI, -1 / DPI).translate(0, self.figure.get_figheight())
        self.pixels = flip + self.figure.dpi_scale_trans
        self.cells: list[Cell] = []

    def cell(self, name: str, rect: Rect) -> Cell:
        self.cells.append(Cell(name, rect))
        return self.cells[-1]

    def add(self, artist: A) -> A:
        artist.set_transform(self.pixels)
        self.figure.add_artist(artist)
        return artist

    def text(
        self,
        cell: Cell,
        x: float,
        y: float,
        text: str,
        style: Style,
        colour: str | None = None,
        ha: str = "left",
        va: str = "baseline",
        **extra: Any,
    ) -> Text:
        """Text at (x, baseline y): never parsed as math or TeX, always in the bundled font."""
        artist = Text(
            x,
            y,
            text,
            fontproperties=font(style.face, style.size),
            color=colour or style.colour,
            horizontalalignment=ha,
            verticalalignment=va,
            parse_math=False,
            usetex=False,
            **extra,
        )
        cell.texts.append(self.add(artist))
        return artist

    def block(self, cell: Cell, x: float, top: float, block: Block) -> float:
        """Draws the lines of `block` from `top`; returns the first baseline."""
        ascent, _, pitch = line_box(block.style.face, block.style.size)
        first = top + block.space_before + ascent
        for number, line in enumerate(block.lines):
            self.text(cell, x, first + number * pitch, line, block.style)
        return first

    def stack(self, cell: Cell, x: float, top: float, blocks: Sequence[Block]) -> float:
        """Draws blocks one under the other; returns the y under the last."""
        for b in blocks:
            self.block(cell, x, top, b)
            top += b.height
        return top

    def box(self, rect: Rect, face: str, zorder: float = 0) -> None:
        self.add(Rectangle((rect.x0, rect.y0), rect.width, rect.height, facecolor=face, linewidth=0, zorder=zorder))

    def line(self, xs: Sequence[float], ys: Sequence[float], colour: str, width: float = 1.0, **extra: Any) -> Line2D:
        return self.add(Line2D(xs, ys, color=colour, linewidth=width, solid_capstyle="butt", **extra))


def draw_map(journey_map: JourneyMap) -> MapDrawing:
    """The map drawn on a figure, with the cells and text it holds, ready to save or inspect."""
    grid = map_grid(journey_map)
    plan = layout(grid)
    painter = Painter(plan.width, plan.height)
    draw_header(painter, grid, plan)
    draw_stages(painter, grid, plan)
    labels = dict(LANES)
    for key, rows in plan.rows():
        if key == "emotion":
            draw_emotion(painter, grid, plan, rows)
        elif key == "other_actions":
            draw_other_actions(painter, plan, rows)
        else:
            draw_lane(painter, grid, plan, key, labels[key], rows)
    draw_rules(painter, grid, plan)
    return MapDrawing(painter.figure, (plan.width, plan.height), painter.cells)


def draw_header(p: Painter, grid: MapGrid, plan: Layout) -> None:
    right = plan.width - MARGIN
    header = p.cell("header", Rect(MARGIN, MARGIN, right - LEGEND_W - HEADER_GAP, MARGIN + plan.header_h))
    p.stack(header, MARGIN, MARGIN, plan.header)
    legend = p.cell("legend", Rect(right - LEGEND_W, MARGIN, right, MARGIN + stack_height(plan.legend) + 2 * PAD))
    p.box(legend.rect, BAND)
    x = legend.rect.x0 + PAD
    top = p.stack(legend, x, legend.rect.y0 + PAD, plan.legend[:1])
    for number, row in enumerate(plan.legend[1:]):
        baseline = p.block(legend, x + GUTTER, top, row)
        draw_legend_mark(p, legend, number, x, baseline)
        top += row.height


def draw_legend_mark(p: Painter, legend: Cell, number: int, x: float, baseline: float) -> None:
    """The sign each legend row explains, drawn the way the map draws it."""
    if number in (1, 2):
        middle = baseline - line_box(LEGEND.face, LEGEND.size)[0] / 3
        p.add(emotion_markers([x + 7], [middle], rated=number == 1))
    else:
        glyph, colour = (ASSUMPTION_MARK, ASSUMPTION) if number == 0 else (DONE_MARK, BLUISH_GREEN)
        p.text(legend, x, baseline, glyph, MARK, colour)


def draw_stages(p: Painter, grid: MapGrid, plan: Layout) -> None:
    """The stage names in a row of chevrons, the way the journey runs."""
    top, bottom = plan.grid_top, plan.grid_top + plan.stage_h
    middle = (top + bottom) / 2
    for index, (stage, name) in enumerate(zip(grid.stages, plan.stage_names, strict=True)):
        x0 = plan.column(index)
        x1 = x0 + plan.col_w
        notch = CHEVRON if index else 0
        points = [(x0, top), (x1 - CHEVRON, top), (x1, middle), (x1 - CHEVRON, bottom), (x0, bottom)]
        points.append((x0 + notch, middle))
        p.add(Polygon(points, closed=True, facecolor=BLUE, edgecolor=WHITE, linewidth=2))
        cell = p.cell(f"stage:{stage.name}", Rect(x0, top, x1, bottom))
        p.stack(cell, x0 + CHEVRON + PAD, middle - name.height / 2, [name])


def draw_lane_label(p: Painter, key: str, label: str, rows: Rect, note: str | None = None) -> Cell:
    cell = p.cell(f"label:{key}", Rect(rows.x0, rows.y0, rows.x0 + LABEL_W, rows.y1))
    p.box(cell.rect, BAND)
    p.box(Rect(rows.x0, rows.y0, rows.x0 + 6, rows.y1), LANE_COLOURS.get(key, BLUISH_GREEN), zorder=1)
    width = LABEL_W - 2 * PAD - 6
    blocks = [block(label, LANE, width, 2)]
    if note:
        blocks.append(block(note, LANE_NOTE, width, 2, space_before=2))
    p.stack(cell, rows.x0 + 6 + PAD, rows.y0 + PAD, blocks)
    return cell


def draw_lane(p: Painter, grid: MapGrid, plan: Layout, key: str, label: str, rows: Rect) -> None:
    draw_lane_label(p, key, label, rows, note=grid.pain_lane_note if key == "pain_points" else None)
    for index, (stage, cards) in enumerate(zip(grid.stages, plan.lanes[key], strict=True)):
        x0 = plan.column(index)
        cell = p.cell(f"{key}:{stage.name}", Rect(x0, rows.y0, x0 + plan.col_w, rows.y1))
        draw_cards(p, cell, cards, plan.col_w)


def draw_cards(p: Painter, cell: Cell, rows: Rows, col_w: float) -> None:
    """The rows of cards that fit, then "+N more"; a dash where the cell is empty."""
    x, top = cell.rect.x0 + PAD, cell.rect.y0 + PAD
    if not rows:
        p.block(cell, x, top, Block(("–",), DETAIL))
        return
    shown, hidden = fit(rows, cell.rect.height - 2 * PAD)
    for row in shown:
        for index, c in enumerate(row):
            draw_card(p, cell, c, x + index * col_w, top)
        top += max(c.height for c in row) + ITEM_GAP
    if hidden:
        p.block(cell, x + GUTTER, top - ITEM_GAP, more_block(hidden))


def draw_card(p: Painter, cell: Cell, c: Card, x: float, top: float) -> None:
    p.box(Rect(x, top + 1, x + BAR_W, top + c.height - 1), c.colour, zorder=1)
    first = c.blocks[0]
    baseline = top + first.space_before + line_box(first.style.face, first.style.size)[0]
    _, _, pitch = line_box(MARK.face, MARK.size)
    for number, (glyph, colour) in enumerate(c.marks):
        p.text(cell, x + BAR_W + 3, baseline + number * pitch, glyph, MARK, colour)
    p.stack(cell, x + GUTTER, top, c.blocks)


def draw_other_actions(p: Painter, plan: Layout, rows: Rect) -> None:
    """Actions tied to no stage, across the full width, left to right then down."""
    draw_lane_label(p, "other_actions", "Other actions", rows, note="not tied to a stage")
    cell = p.cell("other_actions", Rect(plan.grid_x, rows.y0, rows.x1, rows.y1))
    draw_cards(p, cell, plan.other, plan.col_w)


def emotion_y(score: float, rows: Rect) -> float:
    span = rows.height - 2 * EMOTION_INSET
    return rows.y0 + EMOTION_INSET + (2 - max(-2.0, min(2.0, score))) / 4 * span


def emotion_markers(xs: Sequence[float], ys: Sequence[float], rated: bool) -> Line2D:
    """Filled where people rated the stage, hollow where the engine estimated it."""
    return Line2D(
        xs,
        ys,
        color=BLACK,
        linestyle="none",
        marker="o",
        markersize=10,
        markeredgewidth=2,
        markeredgecolor=BLACK,
        markerfacecolor=BLACK if rated else WHITE,
        gid="emotion-rated" if rated else "emotion-estimated",
        zorder=4,
    )


def draw_emotion(p: Painter, grid: MapGrid, plan: Layout, rows: Rect) -> None:
    """One line through each stage's emotion, from -2 to +2, broken where a stage has none."""
    label = draw_lane_label(p, "emotion", "Emotion", rows)
    cell = p.cell("emotion", Rect(plan.grid_x, rows.y0, rows.x1, rows.y1))
    for level in (2, 1, 0, -1, -2):
        y = emotion_y(level, rows)
        rule = {"linestyle": (0, (4, 3))} if level == 0 else {}
        p.line([cell.rect.x0, cell.rect.x1], [y, y], MUTED if level == 0 else SOFT_RULE, zorder=1, **rule)
        scale = f"{level:+d} {EMOTION_WORDS[level]}" if level else f"0 {EMOTION_WORDS[0]}"
        p.text(label, label.rect.x1 - PAD, y, scale, SCALE, ha="right", va="center_baseline")
    xs = [plan.column(i) + plan.col_w / 2 for i in range(len(grid.stages))]
    ys = [math.nan if s.emotion is None else emotion_y(s.emotion, rows) for s in grid.stages]
    zero = emotion_y(0, rows)
    heights = np.array(ys)
    for colour, side in ((BLUISH_GREEN, -1), (VERMILLION, 1)):  # above zero is up, so a smaller y
        where = (heights - zero) * side >= 0  # False where there is no emotion, so the fill breaks there too
        fill = FillBetweenPolyCollection(
            "x", np.array(xs), heights, np.full_like(heights, zero), where=where, interpolate=True
        )
        fill.set(facecolor=colour, alpha=0.15, linewidth=0, zorder=1)
        p.add(fill)
    p.line(xs, ys, BLACK, 2.5, gid="emotion-line", zorder=3, solid_joinstyle="round")
    for rated in (True, False):
        points = [
            (x, y)
            for x, y, s in zip(xs, ys, grid.stages, strict=True)
            if s.emotion is not None and (s.rated_by > 0) == rated
        ]
        if points:
            p.add(emotion_markers([x for x, _ in points], [y for _, y in points], rated=rated))
    for index in range(len(grid.stages)):
        draw_emotion_label(p, cell, grid.stages, index, xs[index], ys[index], zero)


def draw_emotion_label(
    p: Painter, cell: Cell, stages: list[StageColumn], index: int, x: float, y: float, zero: float
) -> None:
    """The value by its marker: above it unless the line around it runs higher (a dip); or "not rated"."""
    stage = stages[index]
    white = {"bbox": {"boxstyle": "round,pad=0.25", "facecolor": WHITE, "edgecolor": "none", "alpha": 0.9}, "zorder": 5}
    if stage.emotion is None:
        p.text(cell, x, zero, "not rated", MORE, ha="center", va="center_baseline", **white)
        return
    basis = f"{stage.rated_by} rated" if stage.rated_by else "estimate"
    around = [s.emotion for s in (stages[index - 1 : index] + stages[index + 1 : index + 2]) if s.emotion is not None]
    below = bool(around) and sum(around) / len(around) > stage.emotion
    ascent, descent, _ = line_box(VALUE.face, VALUE.size)
    baseline = y + 12 + ascent if below else y - 12 - descent
    p.text(cell, x, baseline, f"{stage.emotion:+.1f} · {basis}", VALUE, ha="center", **white)


def draw_rules(p: Painter, grid: MapGrid, plan: Layout) -> None:
    """Thin grey lines between lanes and between stages, so the grid reads at a glance."""
    bands = [rows for _, rows in plan.rows()]
    for y in [bands[0].y0, *(rows.y1 for rows in bands)]:
        p.line([MARGIN, plan.width - MARGIN], [y, y], RULE, zorder=2)
    lanes_bottom = bands[len(LANES) - 1].y1  # the other actions run across the stages
    for index in range(1, len(grid.stages)):
        p.line([plan.column(index)] * 2, [bands[0].y0, lanes_bottom], RULE, zorder=2)
