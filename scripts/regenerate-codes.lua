-- New PINs and parent codes for a selection, all with one expiry date.
--
--   lanyard run regenerate-codes.lua --arg where='year:7' --dry-run   # see what would change
--   lanyard run regenerate-codes.lua --arg where='reg:7B' --arg kind=parent-code
--
-- Unused codes of the selected students are voided; parents who already registered keep
-- their link. The whole run is one transaction.

if not args.where then
  error("give the students with --arg where='...', for example --arg where='year:7'", 0)
end

local scope = users.select(args.where):where("role:student")
local count = scope:count()
if count == 0 then
  print("No students match '" .. args.where .. "'; nothing to do.")
  return
end

local result = codes.regenerate(scope, {kind = args.kind or "both"})
print(string.format("%d students: %d codes issued, %d unused codes voided", result.students, result.issued, result.voided))
print("New PINs expire " .. result.pin_expiry .. "; new parent codes expire " .. result.parent_code_expiry)
log.info(string.format("regenerated codes for %d students (%s)", result.students, args.where))
