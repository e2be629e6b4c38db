#!/usr/bin/env bash
# The README's test command: from a fresh Debian 12 machine, install what is missing, build
# everything and run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
