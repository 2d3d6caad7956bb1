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
  local group = string.format("Year %s %s", pupil.year or "?", pupil.reg or "(no registration group)")
  if not by_group[group] then
    by_group[group] = 0
    table.insert(groups, {name = group, year = pupil.year or 99, reg = pupil.reg or ""})
  end
  by_group[group] = by_group[group] + 1
  report.add{upn = pupil.upn, name = pupil.name, year = pupil.year or "", reg = pupil.reg or ""}
end

-- Year 7 before Year 10: sort by the year's number, then the registration group.
table.sort(groups, function(a, b)
  if a.year ~= b.year then return a.year < b.year end
  return a.reg < b.reg
end)
report.line("# Students without an email address")
report.line("")
for _, group in ipairs(groups) do
  report.line(string.format("- %s: %d", group.name, by_group[group.name]))
  print(string.format("%-40s %4d", group.name, by_group[group.name]))
end

local total = #scope
print(string.format("%d students without an email address", total))
if total > 0 then
  report.save("missing-emails.csv")
end
report.save("missing-emails.md")
