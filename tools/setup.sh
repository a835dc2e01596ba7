#!/usr/bin/env bash
# Installs the Debian packages apc needs (only those missing), configures and
# builds into build/, then compiles an example plan with build/apc.
# Installing needs root (as root, or through sudo); nothing else does.
# Usage: tools/setup.sh [--no-example]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ make cmake pkg-config              # toolchain
  antlr4 libantlr4-runtime-dev           # parser generator (4.7.2) and runtime (4.9)
  uuid-dev                               # the antlr4 runtime's CMake files link -luuid; its -dev does not pull it in
  libz3-dev libboost-graph-dev           # solver (Boost.Graph brings Boost.UUID headers too)
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libssl-dev
  libexpat1-dev                          # discover reads libvirt domain XML (guest names)
  libfuse3-dev fuse3                     # apc sim (emulated sysfs)
  shellcheck mdevctl libvirt-clients     # real tools the tests run the artifacts through
  libxml2-utils                          # xmllint, which virt-xml-validate runs (libvirt-clients only recommends it)
  util-linux                             # unshare, flock
  clang-14 libclang-rt-14-dev            # tools/fuzz_ci.sh: libFuzzer, ASan and UBSan runtimes (issue 13)
)
# `apc show` picture tests: the HTML page opened in headless Chromium, its
# screenshot decoded with zlib, the SVG and HTML checked by xmllint; jq for
# the docs/ci.md recipe the CLI tests run.
packages+=(chromium zlib1g-dev libxml2-utils jq)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    # Installing needs root; a minimal Debian has no sudo.
    command -v sudo >/dev/null || { echo "setup: installing packages needs root: run tools/setup.sh as root, or install sudo" >&2; exit 2; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

if [ "${1:-}" != "--no-example" ]; then
  echo "setup: build/apc compile examples/seed.ap -o build/example.out --no-lock"
  build/apc compile examples/seed.ap -o build/example.out --no-lock --lock-file build/example.lock
fi
