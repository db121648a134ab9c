#!/usr/bin/env bash
# Set up, then run the main job on the bundled model case: parse, classify, render.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
sample=samples/duet.lyrics.txt
mkdir -p out
.venv/bin/dialogue parse "$sample"
.venv/bin/dialogue analyze "$sample"
.venv/bin/dialogue render "$sample" -o out/duet.html
.venv/bin/dialogue render "$sample" -o out/duet.dot
if command -v dot >/dev/null 2>&1; then
  .venv/bin/dialogue render "$sample" -o out/duet.svg
  .venv/bin/dialogue render "$sample" -o out/duet.png
else
  echo "Graphviz 'dot' is not installed: skipping SVG/PNG (apt-get install graphviz)" >&2
fi
echo "wrote: $(ls out | tr '\n' ' ')"
