-- Term start: get new starters into the platform.
--
--   lanyard run term-start.lua --arg bundle=export --arg contacts=contacts.csv --dry-run
--   lanyard run term-start.lua --arg bundle=export --arg contacts=contacts.csv
--
-- Arguments (paths are inside the workspace, --workspace, default ./out):
--   bundle=FOLDER|ZIP   a OneRoster export to import first      (or students=FILE.csv, ctf=FILE.xml)
--   contacts=FILE.csv   the MIS parent-contacts export: imported, then used to invite parents
--   scope=QUERY         which new starters, e.g. scope='year:7'  (default: every new starter)
--   skip_invalid=yes    import the valid rows of an MIS export that has invalid ones
--
-- New starters are students on roll who have never logged in. Their codes are regenerated with
-- one expiry, unless they have already been handed out, so a rerun keeps the codes parents
-- already have. Running it again the next morning sends nothing twice and says so.

local out = "term-start"

-- 1. Bring the directory up to date with the MIS export.
local imports = {}
local function import_with(kind, path, importer)
  if path then
    local summary = importer(path)
    imports[#imports + 1] = {kind = kind, summary = summary}
    print(string.format("Imported %s: %d new, %d updated, %d left, %d invalid", path,
      summary.new, summary.updated, summary.left, summary.invalid))
  end
end
local skip_invalid = args.skip_invalid == "yes"
import_with("oneroster", args.bundle, function(p) return import.oneroster(p, {skip_invalid = skip_invalid}) end)
import_with("students", args.students, function(p) return import.csv(p, {kind = "students", skip_invalid = skip_invalid}) end)
import_with("ctf", args.ctf, import.ctf)
import_with("contacts", args.contacts, function(p) return import.csv(p, {kind = "contacts", skip_invalid = skip_invalid}) end)

-- 2. Find the new starters.
local starters = users.select("role:student logged-in:never"):where(args.scope or "all")
print(string.format("%d new starters (%s)", #starters, starters.query))

-- 3. One shared expiry for codes not yet handed out; codes already handed out are kept.
local fresh = codes.regenerate(starters:where("codes-read:never"))
print(string.format("%d students got new codes, expiring %s", fresh.students, fresh.pin_expiry))

-- 4. Password links for students (SSO students are skipped: their letters say to use the school account).
local sent = links.send(starters, {report = not run.dry_run and (out .. "/student-links.csv") or nil})
print(string.format("Student links: %d queued, %d already sent, %d without email, %d SSO",
  sent.queued, sent.skipped["recently-sent"] or 0, sent.skipped["missing-email"] or 0, sent.skipped["sso"] or 0))

-- 5. Letters: mail merge (CSV and XLSX, a sheet per registration group) and PDF slips.
local letters = details.generate{
  where = starters.query, keep_codes = true, folder = out .. "/details",
  formats = {"csv", "xlsx", "pdf"}, sheet_per_reg = true, dry_run = run.dry_run,
}

-- 6. Email each parent their children's parent codes, siblings together.
local invited = parents.invite(starters, {contacts = args.contacts})
local invited_again = 0
for _, outcome in ipairs(invited.outcomes) do
  if outcome.outcome == "recently-sent" then invited_again = invited_again + 1 end
end
print(string.format("Parent invitations: %d queued, %d already sent, %d students without a usable contact",
  invited.queued, invited_again, #invited.unreached))

-- 7. Parent codes for the MIS (a SIMS aspect import, keyed by UPN).
if not run.dry_run then
  details.export_parent_codes{where = starters.query, path = out .. "/parent-codes-sims.csv", layout = "sims"}
end

-- 8. The run report: counts by outcome and year group, and the people needing attention.
local by_year = {}
for _, outcome in ipairs(sent.outcomes) do
  local pupil = users.get(outcome.user_key)
  local year = pupil and pupil.year and ("Year " .. pupil.year) or "no year"
  local label = outcome.status == "queued" and "link queued" or outcome.reason
  by_year[year] = by_year[year] or {}
  by_year[year][label] = (by_year[year][label] or 0) + 1
end

report.line("# Term start" .. (run.dry_run and " (dry run: nothing saved or sent)" or ""))
report.line("")
report.line(string.format("- New starters: %d", #starters))
report.line(string.format("- New codes: %d students, expiring %s", fresh.students, fresh.pin_expiry))
report.line(string.format("- Student links queued: %d; parent invitations queued: %d", sent.queued, invited.queued))
if sent.queued == 0 and invited.queued == 0 and (sent.skipped["recently-sent"] or 0) + invited_again > 0 then
  report.line("- Nothing was sent again: everyone in scope was already sent their link or invitation.")
end
report.line("")
report.line("## Outcomes by year group")
local years = {}
for year in pairs(by_year) do years[#years + 1] = year end
table.sort(years)
for _, year in ipairs(years) do
  local parts = {}
  for label, count in pairs(by_year[year]) do parts[#parts + 1] = label .. ": " .. count end
  table.sort(parts)
  report.line(string.format("- %s: %s", year, table.concat(parts, ", ")))
end

for _, outcome in ipairs(sent.outcomes) do
  if outcome.reason == "missing-email" or outcome.reason == "invalid-email" then
    report.add{key = outcome.user_key, name = outcome.name, needs = "an email address"}
  end
end
for _, student in ipairs(invited.unreached) do
  report.add{key = student.upn, name = student.name, needs = "a parent contact: " .. student.reason}
end
for _, item in ipairs(imports) do
  for _, problem in ipairs(item.summary.problems) do
    if problem.severity == "error" then
      report.add{key = problem.file .. ":" .. (problem.line or ""), name = "", needs = "a fixed row: " .. problem.message}
    end
  end
end

if run.dry_run then
  print("Dry run: the report would be saved to " .. out .. "/report.md")
else
  print("Report: " .. report.save(out .. "/report.md"))
  print("Needs attention: " .. report.save(out .. "/needs-attention.csv"))
  print("Letters: " .. out .. "/details")
end
