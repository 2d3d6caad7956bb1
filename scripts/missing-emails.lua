-- Students without an email address, counted by year group and registration group, with a
-- list an admin can hand to the MIS team.
--
--   lanyard run missing-emails.lua                       # every student on roll
--   lanyard run missing-emails.lua --arg where='year:7'  # only Year 7
--
-- Writes missing-emails.csv (one row per student) and missing-emails.md (the counts) into the
-- workspace.

local scope = users.select("role:student email:missing")
if args.where then
  scope = scope:where(args.where)
end

local by_group = {}
local groups = {}
for pupil in scope:each() do
  local group = string.format("Year %02d %s", pupil.year or 0, pupil.reg or "(no registration group)")
  if not by_group[group] then
    by_group[group] = 0
    table.insert(groups, group)
  end
  by_group[group] = by_group[group] + 1
  report.add{upn = pupil.upn, name = pupil.name, year = pupil.year or "", reg = pupil.reg or ""}
end

table.sort(groups)
report.line("# Students without an email address")
report.line("")
for _, group in ipairs(groups) do
  report.line(string.format("- %s: %d", group, by_group[group]))
  print(string.format("%-40s %4d", group, by_group[group]))
end

local total = #scope
print(string.format("%d students without an email address", total))
if total > 0 then
  report.save("missing-emails.csv")
end
report.save("missing-emails.md")
