#!/usr/bin/env bash
# Set up (a venv with the package and its test extras, installed as a user would: not editable), then run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "test,dask,parquet"
exec .venv/bin/python -m pytest -q "$@"
