#!/bin/sh
# Benchmarks of issue-sized mail work, each against a reference in the same hyperfine run:
#   1. queue password links for every student of the 100,000-student directory
#      (lanyard links send --no-deliver) against bench/reference/queue_links.py;
#   2. deliver 10,000 queued messages to a local aiosmtpd (its Sink handler, on 127.0.0.1)
#      with lanyard outbox send against bench/reference/send_smtplib.py on one connection.
#
# Usage: bench/mail.sh RESULTS_DIR   (called by `make bench`; needs a release build)
set -eu
results="$(cd "$1" && pwd)"
work="$(cd "$(dirname "$0")" && pwd)/work"
bench="$(cd "$(dirname "$0")" && pwd)"
lanyard="$(pwd)/.build/release/lanyard"
rows="${BENCH_ROWS:-100000}"
csv="$work/students-$rows.csv"
mkdir -p "$work/mail"
[ -f "$csv" ] || python3 "$bench/gen-mis-csv.py" "$csv" --rows "$rows"

# A directory with the students, made once and copied before each run.
base="$work/mail/base.db"
rm -f "$base"*
"$lanyard" --db "$base" init --school 'Bench School' --dfe 999/9999 > /dev/null
"$lanyard" --db "$base" import csv --kind students "$csv" > /dev/null
cat > "$work/mail/lanyard.config.lua" <<'LUA'
mail = { from_address = "office@bench.example", from_name = "Bench School", transport = "file", outbox_folder = "outbox" }
LUA

cd "$work/mail"
hyperfine --warmup 1 --runs "${BENCH_RUNS:-5}" --export-json "$results/queue-links.json" \
    --prepare "cp $base run.db && rm -f run.db-wal run.db-shm" \
    -n "lanyard links send" "$lanyard --db run.db links send --where role:student --no-deliver > /dev/null" \
    --prepare "cp $base ref.db && rm -f ref.db-wal ref.db-shm" \
    -n "python queue_links.py" "python3 $bench/reference/queue_links.py ref.db"

# 10,000 queued messages to deliver.
cp "$base" queued.db
"$lanyard" --db queued.db links send --where role:student --limit 10000 --no-deliver > /dev/null
/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Sink &
server=$!
trap 'kill $server 2>/dev/null' EXIT
sleep 1
cat > smtp.config.lua <<'LUA'
mail = { from_address = "office@bench.example", transport = "smtp", smtp_url = "smtp://127.0.0.1:2525",
         smtp_require_tls = false, messages_per_minute = 0 }
LUA
mkdir -p smtp && cp smtp.config.lua smtp/lanyard.config.lua
cd smtp
hyperfine --warmup 0 --runs "${BENCH_RUNS:-5}" --export-json "$results/deliver.json" \
    --prepare "cp ../queued.db run.db && rm -f run.db-wal run.db-shm" \
    -n "lanyard outbox send" "$lanyard --db run.db outbox send > /dev/null" \
    --prepare "cp ../queued.db ref.db && rm -f ref.db-wal ref.db-shm" \
    -n "python smtplib" "python3 $bench/reference/send_smtplib.py ref.db 2525"
