#!/bin/sh
# Benchmark: `lanyard import csv` of a 100,000-student MIS report against the sqlite3 CLI's
# `.import` of the same file into an equivalent table with the same indexes, in one hyperfine
# run. Also records Lanyard's peak memory (GNU time's maximum resident set size).
#
# Usage: bench/import-csv.sh RESULTS_DIR   (called by `make bench`; needs a release build)
set -eu
results="$(cd "$1" && pwd)"
work="$(dirname "$0")/work"
lanyard="$(pwd)/.build/release/lanyard"
rows="${BENCH_ROWS:-100000}"
mkdir -p "$work" "$results"

csv="$work/students-$rows.csv"
[ -f "$csv" ] || python3 "$(dirname "$0")/gen-mis-csv.py" "$csv" --rows "$rows"

# The reference table mirrors the columns Lanyard stores from this report, with the indexes
# Lanyard's users table has on them (unique UPN, year, registration group, email).
cat > "$work/reference-schema.sql" <<'SQL'
CREATE TABLE students (upn TEXT, adno TEXT, legal_surname TEXT, legal_forename TEXT,
    preferred_forename TEXT, year TEXT, reg TEXT, email TEXT, start_date TEXT);
CREATE UNIQUE INDEX students_upn ON students(upn);
CREATE INDEX students_year ON students(year);
CREATE INDEX students_reg ON students(reg);
CREATE INDEX students_email ON students(email COLLATE NOCASE);
SQL

hyperfine --warmup 1 --runs "${BENCH_RUNS:-5}" --export-json "$results/import-csv.json" \
    --prepare "rm -f $work/lanyard.db* && $lanyard --db $work/lanyard.db init --school 'Bench School' --dfe 999/9999 > /dev/null" \
    -n "lanyard import csv" "$lanyard --db $work/lanyard.db import csv --kind students $csv > /dev/null" \
    --prepare "rm -f $work/reference.db* && sqlite3 $work/reference.db < $work/reference-schema.sql" \
    -n "sqlite3 .import" "sqlite3 $work/reference.db '.mode csv' '.import --skip 1 $csv students'"

rm -f "$work/lanyard.db"*
"$lanyard" --db "$work/lanyard.db" init --school 'Bench School' --dfe 999/9999 > /dev/null
/usr/bin/time -f "%M" -o "$results/import-csv.maxrss" "$lanyard" --db "$work/lanyard.db" import csv --kind students "$csv" > /dev/null
