#!/usr/bin/env bash
# Installs what ungarble needs to build and test, by Debian package name, only when missing.
# Run as root (as `make` does on a fresh Debian 12 machine); a no-op when all is present.
set -euo pipefail
want=(
  cmake ninja-build g++ clang pkgconf make
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libutf8proc-dev libzstd-dev libicu-dev
  libclang-rt-14-dev
)
if [ "${1:-}" = "--bench" ]; then
  want+=(libuchardet-dev uchardet python3-chardet python3-charset-normalizer libcld2-dev hyperfine)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node runs the differential tests against the WHATWG reference; any node ≥18 will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
