#!/usr/bin/env python3
"""Score theme clustering on workshop-sized boards drawn from labelled short texts.

Copied from the team's shared bench (shared/bench/cluster_quality.py) and made to read its data from this
repository (bench/data/clinc150/, see bench/data/README.md); the random-board protocol is unchanged, so its figures
compare with the shared one's. Added: `--domain` (harder boards) and `--split`.

Protocol (fixed, so figures compare across runs and with published baselines):
  * a board = 8 themes drawn at random from the labelled set, 4-11 notes per theme (about 60 notes);
  * with --domain, the 8 themes of a board are drawn from ONE CLINC150 domain (board b uses the b-th domain in
    alphabetical order, cycling), so the themes are close to each other: a proxy for real workshop boards, where
    every note is about the same product;
  * BOARDS boards (default 30) drawn with numpy's default_rng(SEED) (default 0);
  * each board is written as JSON lines {"id": "...", "text": "..."} and given to the clustering command,
    which must write {"themes": [{"title": "...", "ids": ["...", ...]}, ...]} to the --out file;
  * every input id must appear in exactly one theme; the number of themes is NOT given to the command.
Reports mean ARI and NMI against the true labels, mean predicted vs true number of themes, and seconds per board.

Reference on the CLINC150 test split with this exact protocol, all-MiniLM-L6-v2 embeddings (int8 ONNX):
  KMeans with the true k=8 ........................ ARI 0.922  NMI 0.960
  KMeans, k chosen by silhouette over 3..15 ........ ARI 0.883  NMI 0.946  (k about 9.5)
  average-linkage cosine, distance threshold 0.7 ... ARI 0.861  NMI 0.933  (k about 10.7)
and on --domain boards (30, seed 0), KMeans with the true k=8: ARI 0.766 on test, 0.797 on val.

Usage (from the repository root):
  .venv/bin/python bench/cluster_quality.py --cmd ".venv/bin/journeybot cluster"            # test split
  .venv/bin/python bench/cluster_quality.py --cmd ".venv/bin/journeybot cluster" --split val --domain
  .venv/bin/python bench/cluster_quality.py --csv FILE.csv        # any CSV with columns text,category
Exit status 0 when every board was clustered validly; the last line is the summary.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "clinc150"
CLINC = DATA / "data_val_test.json"
DOMAINS = DATA / "domains.json"
THEMES = 8
NOTES_PER_THEME = (4, 12)  # numpy's integers(): 4 to 11 notes


def load(args: argparse.Namespace) -> tuple[list[str], np.ndarray, list[str]]:
    """Texts, their label numbers, and the label names (sorted; a number indexes this list)."""
    if args.csv:
        with open(args.csv, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        texts = [r["text"] for r in rows]
        labels = [r["category"] for r in rows]
    else:
        data = json.loads(CLINC.read_text(encoding="utf-8"))[args.split]
        texts = [t for t, _ in data]
        labels = [label for _, label in data]
    names = sorted(set(labels))
    return texts, np.array([names.index(label) for label in labels]), names


def boards(y: np.ndarray, n: int, seed: int) -> Iterator[np.ndarray]:
    rng = np.random.default_rng(seed)
    for _ in range(n):
        themes = rng.choice(np.unique(y), THEMES, replace=False)
        yield np.concatenate(
            [rng.choice(np.where(y == c)[0], rng.integers(*NOTES_PER_THEME), replace=False) for c in themes]
        )


def domain_boards(y: np.ndarray, names: list[str], n: int, seed: int) -> Iterator[np.ndarray]:
    """Like `boards`, but the 8 themes of board b come from the (b mod 10)-th domain: close, confusable intents."""
    domains = json.loads(DOMAINS.read_text(encoding="utf-8"))
    order = sorted(domains)
    rng = np.random.default_rng(seed)
    for b in range(n):
        intents = [names.index(intent) for intent in sorted(domains[order[b % len(order)]])]
        themes = rng.choice(intents, THEMES, replace=False)
        yield np.concatenate(
            [rng.choice(np.where(y == c)[0], rng.integers(*NOTES_PER_THEME), replace=False) for c in themes]
        )


def comb2(x: int) -> float:
    return x * (x - 1) / 2


def ari(a: list, b: list) -> float:
    n = len(a)
    pairs = Counter(zip(a, b, strict=True))
    sa, sb = Counter(a), Counter(b)
    index = sum(comb2(v) for v in pairs.values())
    ea = sum(comb2(v) for v in sa.values())
    eb = sum(comb2(v) for v in sb.values())
    expected = ea * eb / comb2(n)
    top = (ea + eb) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def nmi(a: list, b: list) -> float:
    n = len(a)
    pairs = Counter(zip(a, b, strict=True))
    sa, sb = Counter(a), Counter(b)
    mi = sum(v / n * math.log(v * n / (sa[x] * sb[y])) for (x, y), v in pairs.items())
    ha = -sum(v / n * math.log(v / n) for v in sa.values())
    hb = -sum(v / n * math.log(v / n) for v in sb.values())
    return 1.0 if ha == hb == 0 else (2 * mi / (ha + hb) if ha + hb else 0.0)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cmd", default="journeybot cluster", help="clustering command; gets --in FILE --out FILE")
    p.add_argument("--csv", help="labelled CSV (columns text,category) instead of CLINC150")
    p.add_argument("--split", default="test", choices=["val", "test"], help="CLINC150 split (default test)")
    p.add_argument("--domain", action="store_true", help="8 themes from one CLINC150 domain per board")
    p.add_argument("--boards", type=int, default=30)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if args.domain and args.csv:
        p.error("--domain draws from CLINC150's domains; it cannot be used with --csv")

    texts, y, names = load(args)
    drawn = domain_boards(y, names, args.boards, args.seed) if args.domain else boards(y, args.boards, args.seed)
    scores, ks, secs, bad = [], [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for b, idx in enumerate(drawn):
            src, out = Path(tmp) / f"board{b}.jsonl", Path(tmp) / f"board{b}.json"
            ids = [f"n{i}" for i in idx]
            src.write_text(
                "".join(json.dumps({"id": i, "text": texts[j]}) + "\n" for i, j in zip(ids, idx, strict=True))
            )
            t = time.perf_counter()
            run = subprocess.run(
                shlex.split(args.cmd) + ["--in", str(src), "--out", str(out)], capture_output=True, text=True
            )
            secs.append(time.perf_counter() - t)
            if run.returncode != 0 or not out.exists():
                print(f"board {b}: command failed ({run.returncode}): {run.stderr.strip()[-300:]}")
                bad += 1
                continue
            themes = json.loads(out.read_text())["themes"]
            where: dict[str, list[int]] = {}
            for t_i, theme in enumerate(themes):
                for i in theme["ids"]:
                    where.setdefault(i, []).append(t_i)
            if sorted(where) != sorted(ids) or any(len(v) != 1 for v in where.values()):
                print(f"board {b}: ids missing, unknown or in several themes")
                bad += 1
                continue
            pred = [where[i][0] for i in ids]
            true = [int(y[j]) for j in idx]
            scores.append((ari(true, pred), nmi(true, pred)))
            ks.append(len(themes))
    if not scores:
        print("no board was clustered")
        return 1
    s = np.array(scores)
    source = args.csv or f"clinc150 {args.split}{' within-domain' if args.domain else ''}"
    print(
        f"{source}: boards={len(scores)}/{args.boards} invalid={bad} ARI={s[:, 0].mean():.3f} "
        f"NMI={s[:, 1].mean():.3f} themes={np.mean(ks):.1f} (true {THEMES}) sec_per_board={np.median(secs):.2f}"
    )
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
