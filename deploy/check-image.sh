#!/bin/sh
# `make check-image`: the image's install steps (deploy/install.sh, as the Dockerfile runs them) in a temporary
# directory, for machines that cannot build the image. The build context is copied as .dockerignore lets it in;
# the embedder is then loaded without a network (in a network namespace of its own where `unshare` allows) and
# `journeybot --help` runs. Prints the time taken and the venv's size, then removes the directory.
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/journeybot-check-image.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

# The build context: the paths .dockerignore lets back in after its leading `*`, minus what it excludes inside them.
mkdir "$work/src"
sed -n 's/^!//p' "$root/.dockerignore" | while read -r path; do
  mkdir -p "$work/src/$(dirname "$path")"
  cp -R "$root/$path" "$work/src/$(dirname "$path")/"
done
find "$work/src" \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +
find "$work/src" \( -name '*.pyc' -o -name '*.migrate-lock' \) -delete

cd "$work/src"
venv="$work/venv"
sh deploy/install.sh deps "$venv"
sh deploy/install.sh project "$venv"
if unshare --net true 2>/dev/null; then
  echo "verify: in a network namespace without any network"
  unshare --net sh deploy/install.sh verify "$venv"
else
  echo "verify: unshare is not allowed here, so the network stays reachable (HF_HUB_OFFLINE=1 is still set)"
  sh deploy/install.sh verify "$venv"
fi

echo "install and checks took $(($(date +%s) - start)) s"
echo "venv size: $(du -sh "$venv" | cut -f1) (the image adds its python:3.11-slim base)"
echo "largest packages:"
du -s "$venv"/lib/python*/site-packages/* | sort -rn | head -8 | awk '{ printf "  %6.1f MB  %s\n", $1 / 1024, $2 }' |
  sed "s|$venv/lib/python[0-9.]*/site-packages/||"
