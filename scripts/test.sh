#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run every test,
# browser tests included. This is the README's test command; CI runs it as is.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q chromium
fi

python -m pip install -q -e ".[test]"
npm ci --no-audit --no-fund --loglevel=error

python -m ruff check .
python -m ruff format --check .
python -m mypy
python -m pytest "$@"
