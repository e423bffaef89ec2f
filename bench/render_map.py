#!/usr/bin/env python3
"""How long the map image (journey-map.png) takes to render, and how big it is.

Renders a demo-size map (5 stages, 3 items a cell) and the largest the image is made for (8 stages, 10 items a
cell, every title a paragraph), both from tests/map_samples.py, a few times each, and prints the median time,
the size in pixels and the size of the PNG. The text-measurement caches are cleared before every run, so each run
pays for its text as a new map would. With --map it times a given journey-map.json instead and writes the PNG.

Usage (from the repository root):
  .venv/bin/python bench/render_map.py
  .venv/bin/python bench/render_map.py --map /tmp/demo-base/map.json --out /tmp/journey-map.png
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from PIL import Image  # noqa: E402

from tests.map_samples import sample_map  # noqa: E402
from workflows.mapping.models import JourneyMap  # noqa: E402
from workflows.render import png  # noqa: E402

RUNS = 5


@dataclass(frozen=True)
class Row:
    name: str
    milliseconds: list[float]
    size: tuple[int, int]
    data: bytes

    @property
    def median(self) -> float:
        return statistics.median(self.milliseconds)


def render_once(journey_map: JourneyMap) -> tuple[float, bytes]:
    """One render with cold text caches, in milliseconds."""
    png.forget_measurements()
    started = time.perf_counter()
    data = png.render_png(journey_map)
    return (time.perf_counter() - started) * 1000, data


def measure(name: str, journey_map: JourneyMap, runs: int) -> Row:
    png.render_png(journey_map)  # warm up: fonts load once per process
    timings, data = [], b""
    for _ in range(runs):
        milliseconds, data = render_once(journey_map)
        timings.append(milliseconds)
    with Image.open(io.BytesIO(data)) as image:
        return Row(name, timings, image.size, data)


def table(rows: list[Row]) -> str:
    lines = ["| map | runs | median ms | min ms | size px | PNG KB |", "|" + "---|" * 6]
    for row in rows:
        width, height = row.size
        lines.append(
            f"| {row.name} | {len(row.milliseconds)} | {row.median:,.0f} | {min(row.milliseconds):,.0f} | "
            f"{width} × {height} | {len(row.data) / 1024:,.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--map", type=Path, help="a journey-map.json to time instead of the sample maps")
    parser.add_argument("--out", type=Path, default=Path("journey-map.png"), help="where --map's PNG goes")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"renders per map (default {RUNS})")
    args = parser.parse_args()
    if args.map:
        journey_map = JourneyMap.model_validate_json(args.map.read_text(encoding="utf-8"))
        row = measure(args.map.name, journey_map, args.runs)
        args.out.write_bytes(row.data)
        print(table([row]))
        print(f"wrote {args.out}")
        return 0
    samples = {
        "5 stages × 3 items": sample_map(5, 3),
        "8 stages × 10 items, long": sample_map(8, 10, long=True),
    }
    print(table([measure(name, journey_map, args.runs) for name, journey_map in samples.items()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
