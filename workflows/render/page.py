"""The map as a printable page: `journey-map.html`, one self-contained file for the wall.

No external assets, no web fonts and no script: inline CSS and an inline SVG for the emotion curve, so the file
opens offline, in a mail client's preview or from a shared drive, and prints on A4 landscape with the stage headers
repeated on every sheet. Every piece of user text is escaped, so `<!channel>` or `<script>` in a title is just text.
"""

from __future__ import annotations

from html import escape

from workflows.mapping.files import emotion_word
from workflows.mapping.models import ActionItem, ActionStatus, JourneyMap
from workflows.render.grid import LANES, Item, MapGrid, StageColumn, display_name, map_grid
from workflows.render.palette import (
    ASSUMPTION,
    BLACK,
    BLUE,
    BLUISH_GREEN,
    LANE_COLOURS,
    VERMILLION,
)

# The emotion chart, in CSS pixels: the curve between TOP (+2) and TOP + 4 * STEP (-2), then two lines of labels.
TOP, STEP = 10, 16
LABELS_Y = TOP + 4 * STEP + 17
CHART_HEIGHT = LABELS_Y + 15
COLUMN = 100  # the width of a stage in the curve's own coordinates; stretched to the real column width

GREY_TEXT = "#595959"  # 7:1 on white
GREY_LINE = "#C8C8C8"
GREY_FILL = "#F4F4F4"

STATUS_LABELS = {
    ActionStatus.open: "open",
    ActionStatus.in_progress: "in progress",
    ActionStatus.done: "done",
    ActionStatus.dropped: "dropped",
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _y(score: float) -> float:
    return TOP + (2.0 - max(-2.0, min(2.0, score))) * STEP


def _minus(text: str) -> str:
    return text.replace("-", "−")  # a real minus sign reads better in print


CSS = f"""
@page {{ size: A4 landscape; margin: 8mm 8mm 10mm; }}
@page {{ @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font: 7pt sans-serif;
  color: {GREY_TEXT}; }} }}
*, *::before, *::after {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; padding: 24px 28px 32px; color: #1A1A1A; background: #FFFFFF;
  font: 13px/1.4 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }}
.map-header {{ display: flex; gap: 24px; align-items: stretch; justify-content: space-between;
  border-bottom: 3px solid {BLACK}; padding-bottom: 14px; margin-bottom: 12px; }}
.eyebrow {{ margin: 0 0 4px; font-size: 11px; font-weight: 700; letter-spacing: .12em; text-transform: uppercase;
  color: {GREY_TEXT}; }}
h1 {{ margin: 0 0 8px; font-size: 24px; line-height: 1.2; overflow-wrap: anywhere; }}
dl.objective {{ display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0 0 8px;
  font-size: 12.5px; }}
dl.objective dt {{ font-weight: 700; }}
dl.objective dd {{ margin: 0; overflow-wrap: anywhere; }}
.meta {{ margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px;
  color: {GREY_TEXT}; font-size: 12px; }}
.meta b {{ color: #1A1A1A; font-weight: 600; }}
.coverage-bar {{ display: inline-block; vertical-align: middle; width: 64px; height: 8px; margin-right: 6px;
  border: 1px solid {BLACK}; background: #FFFFFF; }}
.coverage-bar span {{ display: block; height: 100%; background: {BLUISH_GREEN}; }}
.persona {{ flex: 0 1 360px; min-width: 240px; border: 1px solid {GREY_LINE}; border-left: 5px solid {BLUE};
  padding: 8px 12px; background: {GREY_FILL}; }}
.persona h2 {{ margin: 0 0 2px; font-size: 11px; letter-spacing: .1em; text-transform: uppercase;
  color: {GREY_TEXT}; }}
.persona .who {{ margin: 0 0 4px; font-size: 15px; font-weight: 700; overflow-wrap: anywhere; }}
.persona p {{ margin: 2px 0 0; font-size: 12px; overflow-wrap: anywhere; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 6px 22px; align-items: center; margin: 0 0 12px; padding: 0;
  list-style: none; font-size: 11.5px; color: {GREY_TEXT}; }}
.legend li {{ display: flex; align-items: center; gap: 6px; }}
.legend svg {{ flex: none; }}
table.map {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
table.map col.lanes {{ width: 118px; }}
table.map th, table.map td {{ border: 1px solid {GREY_LINE}; vertical-align: top; text-align: left; }}
thead th.stage {{ padding: 8px 10px 8px 12px; background: {BLACK}; color: #FFFFFF; border-color: {BLACK};
  border-left: 1px solid #FFFFFF; font-size: 14px; overflow-wrap: anywhere; }}
thead th.stage .n {{ display: inline-block; min-width: 20px; margin-right: 6px; padding: 0 5px; border-radius: 10px;
  background: #FFFFFF; color: {BLACK}; font-size: 11px; text-align: center; line-height: 18px; }}
thead th.stage .desc {{ display: block; margin-top: 2px; font-size: 11px; font-weight: 400; color: #E6E6E6; }}
thead th.corner {{ background: #FFFFFF; border: 0; border-bottom: 1px solid {BLACK}; font-size: 10.5px;
  color: {GREY_TEXT}; font-weight: 600; vertical-align: bottom; padding: 0 8px 8px 0; text-transform: uppercase;
  letter-spacing: .08em; }}
th.lane {{ padding: 8px 8px 8px 14px; background: {GREY_FILL}; font-size: 12px; font-weight: 700;
  box-shadow: inset 6px 0 0 var(--lane); }}
th.lane small {{ display: block; margin-top: 3px; font-size: 10.5px; font-weight: 400; color: {GREY_TEXT}; }}
td.cell {{ padding: 6px; }}
td.empty {{ color: {GREY_LINE}; text-align: center; vertical-align: middle; font-size: 16px; }}
ul.items {{ margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 5px; }}
ul.items.inline {{ flex-direction: row; flex-wrap: wrap; }}
ul.items.inline li {{ flex: 0 1 300px; }}
.item {{ position: relative; padding: 5px 7px 5px 8px; background: #FFFFFF; border: 1px solid {GREY_LINE};
  border-left: 3px solid var(--lane); break-inside: avoid; page-break-inside: avoid; overflow-wrap: anywhere;
  font-size: 12px; }}
.item .text {{ display: inline; }}
.item .detail {{ display: block; margin-top: 2px; font-size: 10.5px; color: {GREY_TEXT}; }}
.item.assumption {{ border-style: dashed; border-left: 3px solid {ASSUMPTION}; }}
.flag {{ display: inline-block; margin: 0 5px 0 0; padding: 0 5px; border-radius: 3px; background: {ASSUMPTION};
  color: {BLACK}; font-size: 9.5px; font-weight: 700; letter-spacing: .03em; text-transform: uppercase;
  line-height: 15px; }}
.thoughts .text {{ display: inline; font-style: italic; }}
.thoughts .detail {{ display: inline; margin-left: 4px; }}
.thoughts .detail::before {{ content: "— "; }}
.pain .votes {{ font-weight: 700; color: #1A1A1A; }}
.sev {{ letter-spacing: 1px; color: {VERMILLION}; }}
.aid {{ display: inline-block; margin-right: 4px; padding: 0 4px; border-radius: 3px; background: {BLACK};
  color: #FFFFFF; font-size: 10px; font-weight: 700; line-height: 15px; vertical-align: 1px; }}
.owner {{ font-weight: 600; color: #1A1A1A; }}
.unowned {{ font-weight: 700; color: #1A1A1A; border-bottom: 2px solid {VERMILLION}; }}
.status {{ display: inline-block; padding: 0 4px; border: 1px solid {GREY_TEXT}; border-radius: 3px;
  font-size: 9.5px; line-height: 13px; text-transform: uppercase; letter-spacing: .03em; }}
.status-in_progress .status {{ border-color: {BLUE}; color: {BLUE}; font-weight: 700; }}
.status-done .status {{ border: 1.5px solid {BLUISH_GREEN}; background: #FFFFFF; color: #1A1A1A; font-weight: 700; }}
.item.status-done {{ background: {GREY_FILL}; }}
.status-done .text {{ text-decoration: line-through; text-decoration-color: {GREY_TEXT}; color: {GREY_TEXT}; }}
td.emotion {{ padding: 0; }}
svg.emotion {{ display: block; width: 100%; overflow: visible; }}
svg text {{ font-family: inherit; }}
.none {{ color: {GREY_TEXT}; font-style: italic; }}
footer {{ margin-top: 10px; font-size: 10.5px; color: {GREY_TEXT}; }}
tr.lane-row {{ break-inside: avoid; page-break-inside: avoid; }}
@media screen {{
  thead th {{ position: sticky; top: 0; z-index: 1; }}
  th.lane .label {{ position: sticky; top: 52px; }}
}}
@media print {{
  body {{ padding: 0; font-size: 8pt; line-height: 1.25; }}
  .map-header {{ gap: 12px; padding-bottom: 5px; margin-bottom: 5px; border-bottom-width: 2px; break-after: avoid; }}
  .eyebrow {{ font-size: 6.5pt; margin-bottom: 1px; }}
  h1 {{ font-size: 13pt; margin-bottom: 3px; }}
  dl.objective {{ font-size: 7.5pt; margin-bottom: 3px; gap: 0 6px; }}
  .meta {{ font-size: 7.5pt; }}
  .persona {{ padding: 3px 8px; flex-basis: 90mm; }}
  .persona h2 {{ font-size: 6.5pt; }}
  .persona .who {{ font-size: 9pt; margin-bottom: 1px; }}
  .persona p {{ font-size: 7.5pt; margin: 0; }}
  .legend {{ margin-bottom: 5px; font-size: 7pt; break-after: avoid; }}
  thead {{ display: table-header-group; }}
  thead th.stage {{ padding: 3px 6px; font-size: 9pt; }}
  thead th.stage .desc {{ font-size: 7pt; }}
  thead th.corner {{ padding-bottom: 4px; font-size: 6.5pt; }}
  table.map col.lanes {{ width: 24mm; }}
  th.lane {{ padding: 4px 4px 4px 9px; font-size: 8pt; box-shadow: inset 4px 0 0 var(--lane); }}
  th.lane small {{ font-size: 6.5pt; margin-top: 1px; }}
  td.cell {{ padding: 3px; }}
  ul.items {{ gap: 2px; }}
  .item {{ font-size: 7.5pt; padding: 2px 4px 2px 5px; }}
  .item .detail {{ font-size: 6.5pt; margin-top: 0; }}
  .flag {{ font-size: 6pt; line-height: 10px; padding: 0 3px; margin-right: 3px; }}
  .aid {{ font-size: 6.5pt; line-height: 10px; }}
  .status {{ font-size: 6pt; line-height: 9px; }}
  svg.emotion text.word {{ font-size: 8pt; }}
  svg.emotion text.basis, svg.emotion text.tick {{ font-size: 7pt; }}
  footer {{ display: none; }}  /* the page margin says it instead */
}}
"""


def _header(grid: MapGrid) -> str:
    cov = grid.coverage
    share = round(cov.share * 100)
    sources = ", ".join(f"{n} {_e(kind)}" for kind, n in cov.sources.items()) or "no notes yet"
    coverage = (
        f'<span class="coverage-bar" aria-hidden="true"><span style="width:{share}%"></span></span>'
        f"<b>{cov.evidenced} of {cov.themes}</b> themes backed by evidence ({share}%) · {sources}"
    )
    meta = [
        f"Version <b>{grid.version}</b>",
        f"Generated <b>{grid.generated:%d %B %Y}</b>",
        f"Engine <b>{_e(grid.engine)}</b>",
        f'<span data-coverage="{share}">{coverage}</span>',
    ]
    persona = ""
    if grid.persona:
        lines = []
        for line in grid.persona_lines:
            label, _, rest = line.partition(": ")
            lines.append(f"<p><b>{_e(label)}:</b> {_e(rest)}</p>" if rest else f"<p>{_e(line)}</p>")
        persona = (
            f'<aside class="persona"><h2>Persona</h2><p class="who">{_e(grid.persona)}</p>{"".join(lines)}</aside>'
        )
    objective = "".join(f"<dt>{_e(label)}</dt><dd>{_e(text)}</dd>" for label, text in grid.objective)
    return (
        '<header class="map-header"><div class="heading">'
        '<p class="eyebrow">Customer journey map</p>'
        f"<h1>{_e(grid.title)}</h1>"
        + (f'<dl class="objective">{objective}</dl>' if objective else "")
        + f'<ul class="meta">{"".join(f"<li>{m}</li>" for m in meta)}</ul>'
        f"</div>{persona}</header>"
    )


def _legend() -> str:
    dot = '<svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="5" fill="{fill}" stroke="{stroke}" stroke-width="2"/></svg>'  # noqa: E501
    entries = [
        '<span class="flag">assumption</span> rests only on assumptions: no evidence yet',
        f"{dot.format(fill=BLACK, stroke=BLACK)} emotion rated by participants",
        f"{dot.format(fill='#FFFFFF', stroke=BLACK)} emotion estimated by the engine",
        '<span class="aid">A1</span> action, with owner and due date',
        '<span class="status-done"><span class="status">✓ done</span></span> action completed',
    ]
    return f'<ul class="legend" aria-label="Legend">{"".join(f"<li>{e}</li>" for e in entries)}</ul>'


def _item(item: Item) -> str:
    classes = "item" + " assumption" * item.assumption + " done" * item.done
    flag = '<span class="flag">assumption</span>' if item.assumption else ""
    detail = f'<span class="detail">{_e(item.detail)}</span>' if item.detail else ""
    return f'<li class="{classes}">{flag}<span class="text">{_e(item.text)}</span>{detail}</li>'


def _pain(item: Item, severity: int | None) -> str:
    flag = '<span class="flag">assumption</span>' if item.assumption else ""
    parts = [_e(p) for p in (item.detail or "").split(" · ") if p and not p.startswith("severity")]
    if parts:
        parts[0] = f'<span class="votes">{parts[0]}</span>'
    if severity:
        level = max(1, min(3, severity))
        parts.insert(1, f'severity <span class="sev" aria-label="{level} of 3">{"●" * level}{"○" * (3 - level)}</span>')
    detail = f'<span class="detail">{" · ".join(parts)}</span>' if parts else ""
    classes = "item" + " assumption" * item.assumption
    return f'<li class="{classes}">{flag}<span class="text">{_e(item.text)}</span>{detail}</li>'


def _action(action: ActionItem, people: dict[str, str]) -> str:
    if action.owner:
        owner = f'<span class="owner" data-owner="{_e(action.owner)}">@{_e(display_name(action.owner, people))}</span>'
    else:
        owner = '<span class="unowned">no owner yet</span>'
    due = (
        f'<time datetime="{action.due.isoformat()}">due {action.due.day} {action.due:%b %Y}</time>'
        if action.due
        else "no due date"
    )
    mark = "✓ " if action.status is ActionStatus.done else ""
    status = (
        ""
        if action.status is ActionStatus.open
        else f' · <span class="status">{mark}{STATUS_LABELS[action.status]}</span>'
    )
    return (
        f'<li class="item action status-{action.status.value}" data-action="{_e(action.id)}" '
        f'data-status="{action.status.value}">'
        f'<span class="text"><span class="aid">{_e(action.id)}</span>{_e(action.title)}</span>'
        f'<span class="detail">{owner} · {due}{status}</span></li>'
    )


def _stage_actions(journey_map: JourneyMap) -> tuple[dict[str, list[ActionItem]], list[ActionItem]]:
    """Actions by stage, as the grid places them: the action's own stage, else its pain point's; dropped ones go."""
    names = {s.name for s in journey_map.stages}
    pain_stage = {p.theme_id: s.name for s in journey_map.stages for p in s.pain_points}
    by_stage: dict[str, list[ActionItem]] = {name: [] for name in names}
    other: list[ActionItem] = []
    for action in journey_map.action_items:
        if action.status is ActionStatus.dropped:
            continue
        stage = action.stage if action.stage in names else pain_stage.get(action.pain_point or "")
        (by_stage[stage] if stage else other).append(action)
    return by_stage, other


def _emotion_chart(columns: list[StageColumn]) -> str:
    n = len(columns)
    width = n * COLUMN
    points = [(i, c) for i, c in enumerate(columns) if c.emotion is not None]
    parts: list[str] = []
    for score in (2, 1, 0, -1, -2):
        y = _y(score)
        style = f'stroke="{GREY_TEXT}" stroke-dasharray="5 3"' if score == 0 else f'stroke="{GREY_LINE}"'
        parts.append(f'<line class="{"zero" if score == 0 else "grid"}" x1="0" x2="100%" y1="{y}" y2="{y}" {style}/>')
        tick = _minus(f"{score:+d}") if score else "0"
        parts.append(f'<text class="tick" x="4" y="{y + 3.5}" font-size="10" fill="{GREY_TEXT}">{tick}</text>')
    for i in range(1, n):
        parts.append(f'<line x1="{i / n * 100:.4f}%" x2="{i / n * 100:.4f}%" y1="0" y2="100%" stroke="{GREY_LINE}"/>')
    if points:
        # One line through every stage that has an emotion; a mask cuts it where a stage in between has none.
        coords = " ".join(f"{i * COLUMN + COLUMN / 2:g},{_y(c.emotion):g}" for i, c in points)
        gaps = [
            (a * COLUMN + COLUMN / 2, b * COLUMN + COLUMN / 2)
            for (a, _), (b, _) in zip(points, points[1:], strict=False)
            if b - a > 1
        ]
        mask = ""
        mask_ref = ""
        if gaps:
            holes = "".join(f'<rect x="{x0:g}" y="0" width="{x1 - x0:g}" height="{CHART_HEIGHT}"/>' for x0, x1 in gaps)
            mask = (
                f'<mask id="emotion-gaps" maskUnits="userSpaceOnUse" x="0" y="0" width="{width}" '
                f'height="{CHART_HEIGHT}"><rect x="0" y="0" width="{width}" height="{CHART_HEIGHT}" fill="#FFFFFF"/>'
                f'<g fill="#000000">{holes}</g></mask>'
            )
            mask_ref = ' mask="url(#emotion-gaps)"'
        parts.append(
            f'<svg x="0" y="0" width="100%" height="{CHART_HEIGHT}" viewBox="0 0 {width} {CHART_HEIGHT}" '
            f'preserveAspectRatio="none" overflow="visible">{mask}'
            f'<polyline class="emotion-line" points="{coords}" fill="none" stroke="{BLACK}" stroke-width="2.5" '
            f'stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke"{mask_ref}/></svg>'
        )
    for i, column in enumerate(columns):
        x = f"{(i + 0.5) / n * 100:.4f}%"
        if column.emotion is None:
            parts.append(
                f'<text class="basis" x="{x}" y="{LABELS_Y}" text-anchor="middle" font-size="10.5" font-style="italic" '
                f'fill="{GREY_TEXT}">not rated</text>'
            )
            continue
        rated = column.rated_by > 0
        basis = f"{column.rated_by} rated" if rated else "estimate"
        word = f"{emotion_word(column.emotion)} {_minus(f'{column.emotion:+.1f}')}"
        fill = BLACK if rated else "#FFFFFF"
        parts.append(
            f'<circle class="emotion-point" cx="{x}" cy="{_y(column.emotion):g}" r="5.5" fill="{fill}" '
            f'stroke="{BLACK}" stroke-width="2" data-stage="{_e(column.name)}" data-emotion="{column.emotion:g}" '
            f'data-rated="{str(rated).lower()}"><title>{_e(column.name)}: {_e(word)}, {basis}</title></circle>'
            f'<text class="word" x="{x}" y="{LABELS_Y}" text-anchor="middle" font-size="11" font-weight="700" '
            f'fill="#1A1A1A">{_e(word)}</text>'
            f'<text class="basis" x="{x}" y="{LABELS_Y + 13}" text-anchor="middle" font-size="10" '
            f'fill="{GREY_TEXT}">{basis}</text>'
        )
    summary = "; ".join(
        f"{c.name}: {'not rated' if c.emotion is None else f'{emotion_word(c.emotion)} {c.emotion:+.1f}'}"
        for c in columns
    )
    return (
        f'<svg class="emotion" height="{CHART_HEIGHT}" role="img" aria-label="{_e("Emotion by stage. " + summary)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def _lane_cells(key: str, grid: MapGrid, journey_map: JourneyMap, actions: dict[str, list[ActionItem]]) -> str:
    cells = []
    models = {s.name: s for s in journey_map.stages}
    for column in grid.stages:
        stage = _e(column.name)
        if key == "actions":
            items = [_action(a, journey_map.people) for a in actions.get(column.name, [])]
        elif key == "pain_points":
            model = models.get(column.name)
            severities = [p.severity for p in model.pain_points] if model else []
            severities += [None] * (len(column.pain_points) - len(severities))
            items = [_pain(item, sev) for item, sev in zip(column.pain_points, severities, strict=False)]
        else:
            items = [_item(item) for item in column.lane(key)]
        if items:
            cells.append(f'<td class="cell" data-stage="{stage}"><ul class="items">{"".join(items)}</ul></td>')
        else:
            cells.append(f'<td class="cell empty" data-stage="{stage}" aria-label="nothing yet">–</td>')
    return "".join(cells)


LANE_NOTES = {
    "touchpoints": "where they meet us",
    "thoughts": "in their words",
    "emotion": "−2 angry … +2 delighted",
    "actions": "owner and due date",
}
LANE_CLASSES = {"thoughts": "thoughts", "pain_points": "pain"}


def _stage_head(number: int, name: str, description: str | None) -> str:
    desc = f'<span class="desc">{_e(description)}</span>' if description else ""
    return f'<th scope="col" class="stage" data-stage="{_e(name)}"><span class="n">{number}</span>{_e(name)}{desc}</th>'


def _lane_row(key: str, label: str, note: str, body: str, colour_of: str | None = None) -> str:
    colour = LANE_COLOURS.get(colour_of or key, BLACK)
    return (
        f'<tr class="lane-row {LANE_CLASSES.get(key, key)}" data-lane="{key}" style="--lane:{colour}">'
        f'<th scope="row" class="lane"><div class="label">{_e(label)}<small>{_e(note)}</small></div></th>{body}</tr>'
    )


def _page_footer(grid: MapGrid) -> str:
    # Only numbers and a date go into CSS, never user text.
    text = f"journeybot · journey map version {int(grid.version)} · {grid.generated.isoformat()}"
    return f'@page {{ @bottom-left {{ content: "{text}"; font: 7pt sans-serif; color: {GREY_TEXT}; }} }}'


def render_html(journey_map: JourneyMap) -> str:
    """The map as one self-contained HTML page (inline CSS and SVG, no script, no external requests), laid out for
    the screen and for printing on A4 landscape.

    Stage headers and cells carry `data-stage="<name>"`, lane rows `data-lane="<key>"`, actions
    `data-action="<id>"` and `data-status`, and the emotion curve is the `polyline.emotion-line` with one
    `circle.emotion-point[data-rated]` per stage that has an emotion.
    """
    grid = map_grid(journey_map)
    models = {s.name: s for s in journey_map.stages}
    actions, other = _stage_actions(journey_map)
    n = len(grid.stages)
    head = "".join(
        _stage_head(i, c.name, models[c.name].description if c.name in models else None)
        for i, c in enumerate(grid.stages, start=1)
    )
    rows = []
    for key, label in LANES:
        if key == "emotion":
            body = f'<td class="emotion" colspan="{n}">{_emotion_chart(grid.stages)}</td>' if n else ""
        else:
            body = _lane_cells(key, grid, journey_map, actions)
        note = grid.pain_lane_note if key == "pain_points" else LANE_NOTES.get(key, "")
        rows.append(_lane_row(key, label, note, body))
    if other:
        items = "".join(_action(a, journey_map.people) for a in other)
        body = f'<td class="cell" colspan="{n}"><ul class="items inline">{items}</ul></td>'
        rows.append(_lane_row("other_actions", "Other actions", "tied to no stage", body, colour_of="actions"))
    cols = '<col class="lanes">' + '<col class="stage">' * n
    table = (
        f'<table class="map" aria-label="Journey map grid"><colgroup>{cols}</colgroup>'
        f'<thead><tr><th scope="col" class="corner">Stage →</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    footer = (
        f"<footer>journeybot · workshop {_e(journey_map.workshop_id)} · version {grid.version} · "
        f"{grid.generated.isoformat()} · {len(journey_map.action_items)} action(s)</footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Journey map: {_e(grid.title)}</title><style>{CSS}{_page_footer(grid)}</style></head>"
        f"<body><main>{_header(grid)}{_legend()}{table}{footer}</main></body></html>\n"
    )
