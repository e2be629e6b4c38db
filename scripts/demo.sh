#!/usr/bin/env bash
# The README's main command: from a fresh Debian 12 machine, install what is missing, build the
# programs it runs (not the tests), index the whole Tux Paint stamp corpus (images, descriptions
# in ~70 languages, sound effects and spoken descriptions) with the default model, start the
# server, and run example queries.
# The server is left running; the script ends by saying how to query and stop it.
#
# Environment: XMODAL_DEMO_DIR (default ./demo-data), XMODAL_PORT (default 7070, gRPC),
# XMODAL_HTTP_PORT (default 7080: the search page, the HTTP API and /metrics),
# XMODAL_MODEL (default models/default).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
data=${XMODAL_DEMO_DIR:-$root/demo-data}
port=${XMODAL_PORT:-7070}
http_port=${XMODAL_HTTP_PORT:-7080}
model=${XMODAL_MODEL:-$root/models/default}
stamps=/usr/share/tuxpaint/stamps

step() { printf '\n== %s\n' "$*"; }

# The default model when it is there, else the toy colour model (see below; its builder,
# xmodal-toy-model, lives in testing/, configured when tests or benchmarks are on, the default).
if [ -f "$model/model.json" ]; then mode=default; else mode=toy; fi

step "Installing dependencies (skipped when present)"
scripts/install-deps.sh
# Only the programs the demo runs, not every test and benchmark (scripts/test.sh builds those).
programs=(xmodal-index xmodal-server xmodal)
if [ "$mode" = default ]; then programs+=(xmodal-stamps-manifest); else programs+=(xmodal-toy-model); fi
step "Building ${programs[*]}"
targets=()
for p in "${programs[@]}"; do targets+=(--target "$p"); done
scripts/build.sh "${targets[@]}"
bin=$root/build

if [ "$mode" = default ]; then
  step "Writing a manifest of the stamp corpus ($stamps)"
  "$bin/trainer/tools/xmodal-stamps-manifest" --corpus "$stamps" --out_dir "$data/stamps"
else
  # Until the trained default model is committed (models/default), the demo runs the toy colour
  # model: its encoders map red/green/blue text, images and low/mid/high sounds to three axes.
  model=$data/toy-model
  step "No default model yet: using the toy colour model ($model) on the stamps' images and sounds"
  "$bin/testing/xmodal-toy-model" "$model"
  mkdir -p "$data/stamps"
  find "$stamps" \( -name '*.png' -o \( -name '*.ogg' ! -name '*_desc*' \) \) | sort |
    sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/{"path": "&"}/' >"$data/stamps/stamps.jsonl"
fi

step "Indexing into $data/collection-$mode (re-runs skip what is already embedded)"
set +e
"$bin/indexer/xmodal-index" --collection "$data/collection-$mode" --model "$model" \
  --manifest "$data/stamps/stamps.jsonl"
rc=$?
set -e
if [ "$rc" -eq 2 ]; then echo "demo: indexing failed" >&2; exit 2; fi
[ "$rc" -eq 1 ] && echo "(some inputs could not be indexed; they are listed above)"

step "Starting xmodal-server on 127.0.0.1:$port (gRPC) and http://127.0.0.1:$http_port/ (page, HTTP API)"
if [ -f "$data/server.pid" ] && kill -0 "$(cat "$data/server.pid")" 2>/dev/null; then
  kill "$(cat "$data/server.pid")"; sleep 1
fi
nohup "$bin/server/xmodal-server" --collection "$data/collection-$mode" --listen "127.0.0.1:$port" \
  --http_listen "127.0.0.1:$http_port" >"$data/server.log" 2>&1 &
echo $! >"$data/server.pid"
client=("$bin/client/xmodal" --server "127.0.0.1:$port")
for _ in $(seq 1 60); do
  "${client[@]}" info >/dev/null 2>&1 && break
  kill -0 "$(cat "$data/server.pid")" 2>/dev/null || { cat "$data/server.log" >&2; exit 2; }
  sleep 1
done
"${client[@]}" info

# A cat picture and a dog's bark (the first of their kind when the corpus changes).
example_image=$(find "$stamps" -path '*cats*' -name '*.png' | sort | awk 'NR == 1')
example_sound=$stamps/animals/mammals/dogs/dog.ogg
[ -f "$example_sound" ] ||
  example_sound=$(find "$stamps" -name '*.ogg' ! -name '*_desc*' | sort | awk 'NR == 1')

if [ "$mode" = default ]; then
  step "Text -> image: \"a black cat\""
  "${client[@]}" search --text "a black cat" --to image -k 5
  step "Korean text -> image: \"고양이\" (cat)"
  "${client[@]}" search --text "고양이" --to image -k 5
  step "Image -> text: $example_image"
  "${client[@]}" search --image "$example_image" --to text -k 5
else
  step "Text -> image: \"red\" (the toy model ranks stamps by how red they are)"
  "${client[@]}" search --text "red" --to image -k 5
  step "Image -> image: $example_image"
  "${client[@]}" search --image "$example_image" --to image -k 5
fi
step "Sound -> image: $example_sound"
"${client[@]}" search --audio "$example_sound" --to image -k 5

cat <<MSG

The server is still running (pid $(cat "$data/server.pid"), log $data/server.log).
Search page: http://127.0.0.1:$http_port/   (open it in a browser on this machine)
HTTP API:   curl -s http://127.0.0.1:$http_port/v1/search -H 'Content-Type: application/json' \\
              -d '{"query": {"text": "a lion"}, "targets": ["MODALITY_IMAGE"], "k": 5}'
Metrics:    curl -s http://127.0.0.1:$http_port/metrics
Query it:   build/client/xmodal --server 127.0.0.1:$port search --text "a lion" --to image,audio
More:       build/client/xmodal --help
Stop it:    kill \$(cat $data/server.pid)
MSG
