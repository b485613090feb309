#!/usr/bin/env bash
# Runs the whole platform in one process on its embedded defaults (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-prerequisites.sh
exec dotnet run --project src/Standalone/RetentionPlatform.Standalone -c Release -- "$@"
