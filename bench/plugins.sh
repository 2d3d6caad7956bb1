#!/bin/sh
# Measures the cost of a plugin hook on the busiest path it can sit on. It queues password links
# for every student of the 100,000-student directory with the shipped safe-recipients plugin
# enabled, whose before_send hook runs once per message, against the same command with no
# plugin enabled.
#
# Usage: bench/plugins.sh RESULTS_DIR   (called by `make bench` after bench/mail.sh; needs a release build)
set -eu
results="$(cd "$1" && pwd)"
work="$(cd "$(dirname "$0")" && pwd)/work"
lanyard="$(pwd)/.build/release/lanyard"
base="$work/mail/base.db"
[ -f "$base" ] || { echo "bench/plugins.sh: run bench/mail.sh first, which makes $base" >&2; exit 1; }

mkdir -p "$work/plugins"
cd "$work/plugins"
cat > lanyard.config.lua <<'LUA'
mail = { from_address = "office@bench.example", from_name = "Bench School", transport = "file", outbox_folder = "outbox" }
LUA
cp "$base" with-plugin.db
rm -f with-plugin.db-wal with-plugin.db-shm
"$lanyard" --db with-plugin.db plugins enable safe-recipients > /dev/null

hyperfine --warmup 1 --runs "${BENCH_RUNS:-5}" --export-json "$results/plugin-queue.json" \
    --prepare "cp with-plugin.db run.db && rm -f run.db-wal run.db-shm" \
    -n "links send with safe-recipients" "$lanyard --db run.db links send --where role:student --no-deliver > /dev/null" \
    --prepare "cp $base ref.db && rm -f ref.db-wal ref.db-shm" \
    -n "links send without plugins" "$lanyard --db ref.db links send --where role:student --no-deliver > /dev/null"
