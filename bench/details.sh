#!/bin/sh
# Benchmarks of login details:
#   1. the mail merge CSV for 100,000 students (lanyard details generate --keep-codes --format
#      csv) against the sqlite3 CLI writing the same columns as CSV, in one hyperfine run, with
#      Lanyard's peak memory;
#   2. PDF slips for 2,000 students: time and pages per second.
#
# Usage: bench/details.sh RESULTS_DIR   (called by `make bench`; needs a release build)
set -eu
results="$(cd "$1" && pwd)"
bench="$(cd "$(dirname "$0")" && pwd)"
work="$bench/work"
lanyard="$(pwd)/.build/release/lanyard"
rows="${BENCH_ROWS:-100000}"
csv="$work/students-$rows.csv"
mkdir -p "$work/details"
[ -f "$csv" ] || python3 "$bench/gen-mis-csv.py" "$csv" --rows "$rows"
db="$work/details/details.db"
rm -f "$db"*
"$lanyard" --db "$db" init --school 'Bench School' --dfe 999/9999 > /dev/null
"$lanyard" --db "$db" import csv --kind students "$csv" > /dev/null

query="SELECT u.upn, u.admission_number, u.legal_forename, u.legal_surname, u.preferred_forename, u.year_group,
  u.registration_group, u.email, coalesce(u.email, u.upn), p.code, p.expires_at, c.code, c.expires_at, 'none', 'https://login.example.org', ''
  FROM users u
  LEFT JOIN credentials p ON p.student_id = u.id AND p.kind = 'pin' AND p.voided_at IS NULL
  LEFT JOIN credentials c ON c.student_id = u.id AND c.kind = 'parent-code' AND c.voided_at IS NULL
  WHERE u.role = 'student' AND u.status = 'on-roll'
  ORDER BY u.year_group, u.registration_group, u.legal_surname, u.legal_forename"

cd "$work/details"
hyperfine --warmup 1 --runs "${BENCH_RUNS:-5}" --export-json "$results/mail-merge.json" \
    -n "lanyard details generate" "$lanyard --db $db details generate --where all --keep-codes --format csv --out merge > /dev/null" \
    -n "sqlite3 csv" "sqlite3 -csv -header $db \"$query\" > reference.csv"
/usr/bin/time -f "%M" -o "$results/mail-merge.maxrss" "$lanyard" --db "$db" details generate --where all --keep-codes --format csv --out merge > /dev/null

# Slips: the first 2,000 students of the report.
small="$work/details/slips.db"
rm -f "$small"*
head -2001 "$csv" > slips.csv
"$lanyard" --db "$small" init --school 'Bench School' --dfe 999/9999 > /dev/null
"$lanyard" --db "$small" import csv --kind students slips.csv > /dev/null
hyperfine --warmup 1 --runs "${BENCH_RUNS:-5}" --export-json "$results/slips.json" \
    -n "lanyard slips" "$lanyard --db $small details generate --where all --keep-codes --format pdf --out slips > /dev/null"
pages=0
for pdf in slips/*.pdf; do
    count=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    pages=$((pages + count))
done
echo "$pages" > "$results/slips.pages"
