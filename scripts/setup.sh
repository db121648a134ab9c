#!/usr/bin/env bash
# Create .venv (once) and install dialogue into it with the extras named in $1 (default: none).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q ".[$extras]"
else
  .venv/bin/python -m pip install -q .
fi
