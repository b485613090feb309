#!/usr/bin/env bash
# Builds everything and runs every test project (real PostgreSQL, embedded Kafka, real sockets).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-prerequisites.sh --tests

dotnet build RetentionPlatform.sln -c Release
log=$(mktemp)
status=0
dotnet test RetentionPlatform.sln -c Release --no-build 2>&1 | tee "$log" || status=$?

# One closing line for whoever reads the log: the totals over every test assembly.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
