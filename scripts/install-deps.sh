#!/usr/bin/env bash
# Installs every Debian package that building, testing and running the xmodal demo needs.
# Idempotent: packages already present are left alone, so a second run is a quick no-op.
# Must run as root (or with sudo available) on Debian 12 (bookworm).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # third-party libraries, one wrapping module each (see docs/architecture.md)
  libtorch-dev            # model: TorchScript encoders (LibTorch 1.13)
  libfaiss-dev            # index: vector search (FAISS 1.7.3)
  libopenblas0-openmp     # BLAS for FAISS and LibTorch; the OpenMP build does not fight FAISS's threads
  librocksdb-dev          # store: source of truth (RocksDB 7.8)
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc  # proto/server/client
  libcpp-httplib-dev      # server/http: the HTTP/JSON API, the search page and /metrics
  libabsl-dev             # Status, StatusOr, strings
  libcli11-dev            # cli: every program's command line (CLI11 2.1)
  libutf8proc-dev         # base/utf8: NFC normalisation and Unicode case folding
  libgoogle-glog-dev      # logging
  nlohmann-json3-dev      # model.json, JSONL manifests, --json output
  libssl-dev              # SHA-256 for content addresses and manifests
  zlib1g-dev              # model/clip: CLIP's gzip-compressed BPE vocabulary
  libjpeg-dev libpng-dev libwebp-dev  # media: image decoders
  libsndfile1-dev libsamplerate0-dev  # media: audio decoders and resampling
  librsvg2-dev            # corpus: rasterise the SVG stamps
  tuxpaint-stamps-default # the default model's training corpus and the demo's data
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium chromium-driver  # the search page's real-browser test (WebDriver)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
