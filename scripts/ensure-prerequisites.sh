#!/usr/bin/env bash
# Installs what a fresh machine lacks for running the platform (PostgreSQL server binaries) and, with --tests,
# for testing it too (Chromium: the end-to-end tests render the API reference at /docs in it, headless; and
# aiosmtpd, the real SMTP server the Notifications tests and benchmark deliver to, run by Debian's python3).
# (The .NET SDK is expected; NuGet packages, including librdkafka's embedded broker, come with restore.)
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
apt_updated=

apt_install() {
  if [[ -z "$apt_updated" ]]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" > /dev/null
}

have_postgres() {
  [[ -n "${RETENTION_PG_BIN:-}" && -x "${RETENTION_PG_BIN}/initdb" ]] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null
}

if ! have_postgres; then
  echo "PostgreSQL server binaries not found; installing them with apt-get..."
  apt_install postgresql
  # The package starts a cluster of its own; the platform runs its own servers, so leave that one stopped.
  command -v service > /dev/null && $SUDO service postgresql stop > /dev/null 2>&1 || true
fi

if [[ "${1:-}" == "--tests" ]] && ! command -v chromium > /dev/null; then
  echo "Chromium not found; installing it with apt-get (the API reference tests run it headless)..."
  apt_install chromium
fi

if [[ "${1:-}" == "--tests" ]] && ! /usr/bin/python3 -c 'import aiosmtpd' 2> /dev/null; then
  echo "aiosmtpd not found; installing it with apt-get (the Notifications tests deliver email to it on loopback)..."
  apt_install python3-aiosmtpd
fi

if ! command -v dotnet > /dev/null; then
  echo "The .NET SDK (see global.json) is required." >&2
  exit 1
fi
