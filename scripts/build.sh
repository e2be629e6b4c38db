#!/usr/bin/env bash
# Configures and builds xmodal into ./build (Release).
#
#   scripts/build.sh                                  everything (every test and benchmark)
#   scripts/build.sh --target xmodal --target xmodal-server
#                                                     only the named targets and what they need
#   scripts/build.sh -DXMODAL_SANITIZE=address        other arguments go to CMake's configure step
#
# XMODAL_BUILD_TARGETS="xmodal xmodal-server" is the same as the --target arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(${XMODAL_BUILD_TARGETS:-})
configure=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target)
      [ $# -ge 2 ] || { echo "build.sh: --target needs a target name" >&2; exit 2; }
      targets+=("$2"); shift 2 ;;
    --target=*) targets+=("${1#--target=}"); shift ;;
    *) configure+=("$1"); shift ;;
  esac
done
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${configure[@]}" >/dev/null
if [ ${#targets[@]} -gt 0 ]; then
  cmake --build build -j"$(nproc)" --target "${targets[@]}"
else
  cmake --build build -j"$(nproc)"
fi
