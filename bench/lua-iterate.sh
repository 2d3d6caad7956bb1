#!/bin/sh
# Benchmark: a Lua script that iterates all 100,000 students of the benchmark directory and
# reads five fields of each, against the sqlite3 CLI running the same query, in one hyperfine
# run. Then the cost of one Lua-to-Swift call (reading a User field) beside a call of a C
# function (math.abs) in plain lua5.4.
#
# Usage: bench/lua-iterate.sh RESULTS_DIR   (called by `make bench` after import-csv.sh)
set -eu
results="$(cd "$1" && pwd)"
work="$(dirname "$0")/work"
lanyard="$(pwd)/.build/release/lanyard"
rows="${BENCH_ROWS:-100000}"
csv="$work/students-$rows.csv"
db="$work/iterate.db"
mkdir -p "$work/lua-workspace"

[ -f "$csv" ] || python3 "$(dirname "$0")/gen-mis-csv.py" "$csv" --rows "$rows"
rm -f "$db"*
"$lanyard" --db "$db" init --school 'Bench School' --dfe 999/9999 > /dev/null
"$lanyard" --db "$db" import csv --kind students "$csv" > /dev/null

cat > "$work/iterate.lua" <<'LUA'
local count = 0
for pupil in users.select("role:student"):each() do
  local upn, forename, surname, year, reg = pupil.upn, pupil.forename, pupil.surname, pupil.year, pupil.reg
  count = count + 1
end
print(count)
LUA

# The same rows in the same order as Selection:each() reads them.
query="SELECT upn, legal_forename, legal_surname, year_group, registration_group FROM users
  WHERE role = 'student' AND status = 'on-roll'
  ORDER BY role, year_group, registration_group, legal_surname, legal_forename, id"

hyperfine --warmup 1 --runs "${BENCH_RUNS:-5}" --export-json "$results/lua-iterate.json" \
    -n "lanyard run iterate.lua" "$lanyard --db $db run $work/iterate.lua --workspace $work/lua-workspace" \
    -n "sqlite3 query" "sqlite3 $db \"$query\" > /dev/null"

# One call each, 10,000,000 times, minus an empty loop of the same length.
calls=10000000
cat > "$work/field-calls.lua" <<LUA
local pupil = users.select("role:student"):list(1)[1]
local start = os.clock()
for i = 1, $calls do local year = pupil.year end
local calling = os.clock() - start
start = os.clock()
for i = 1, $calls do local year = i end
local empty = os.clock() - start
print(string.format("%.1f", (calling - empty) / $calls * 1e9))
LUA
cat > "$work/c-calls.lua" <<LUA
local abs = math.abs
local start = os.clock()
for i = 1, $calls do local value = abs(i) end
local calling = os.clock() - start
start = os.clock()
for i = 1, $calls do local value = i end
local empty = os.clock() - start
print(string.format("%.1f", (calling - empty) / $calls * 1e9))
LUA
"$lanyard" --db "$db" run "$work/field-calls.lua" --workspace "$work/lua-workspace" > "$results/swift-call-ns.txt"
lua5.4 "$work/c-calls.lua" > "$results/c-call-ns.txt"
