#!/bin/sh
# Runs every benchmark in one go, then rewrites docs/BENCHMARKS.md. Called by `make bench`.
set -eu
cd "$(dirname "$0")/.."
results=bench/work/results
rm -rf "$results"
mkdir -p "$results"
for benchmark in bench/import-csv.sh bench/lua-iterate.sh bench/mail.sh bench/plugins.sh bench/details.sh; do
    echo "== $benchmark"
    "$benchmark" "$results"
done
python3 bench/report.py "$results" docs/BENCHMARKS.md
echo "Wrote docs/BENCHMARKS.md"
