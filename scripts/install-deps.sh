#!/usr/bin/env bash
# kyso: install every Debian 12 package that the build, the tests and the demo need.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config ccache git
  libssl-dev openssl libsqlite3-dev sqlite3 libpqxx-dev postgresql
  libcpp-httplib-dev libtomlplusplus-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libargon2-dev libxlsxwriter-dev libgtest-dev libgmock-dev libbenchmark-dev
  softhsm2 opensc libp11-dev libengine-pkcs11-openssl
  libicu-dev libzip-dev zipcmp zipmerge ziptool unzip libpugixml-dev libhpdf-dev
  fonts-liberation2 fonts-dejavu-core poppler-utils
  clang-16 libclang-rt-16-dev clang-tidy-16 clang-format-16
  python3 time bc nodejs curl wrk
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# The API tests' OpenAPI validators (package.json, pinned by package-lock.json).
npm_ci() {
  if command -v npm >/dev/null 2>&1 && [ -f "$(dirname "$0")/../package-lock.json" ]; then
    (cd "$(dirname "$0")/.." && npm ci --no-audit --no-fund --silent)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  npm_ci
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
npm_ci
