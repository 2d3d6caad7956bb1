-- safe-recipients: a last check on every message before it is queued.
--
-- A message about a person (a password link) goes only to that person's own address in the
-- directory, or, for a test send, to an address in the school's domains. Any other message (a
-- parent invitation, a notice) goes only to an address in the school's domains or to the
-- address of someone in the directory. Anything else is withheld: kept in the outbox as
-- cancelled, with the reason, for an admin to review.

-- The school's domains: the sender's, and any that at least two staff addresses use, leaving
-- out public mail providers (one teacher with a Gmail address must not open all of Gmail).
-- Worked out once per run.
local school_domains = nil
-- Every address in the directory, lower-cased. Worked out once per run.
local known_addresses = nil

local PUBLIC_PROVIDERS = {
  ["gmail.com"] = true, ["googlemail.com"] = true, ["outlook.com"] = true, ["hotmail.com"] = true,
  ["hotmail.co.uk"] = true, ["live.com"] = true, ["live.co.uk"] = true, ["msn.com"] = true,
  ["yahoo.com"] = true, ["yahoo.co.uk"] = true, ["icloud.com"] = true, ["me.com"] = true,
  ["aol.com"] = true, ["btinternet.com"] = true, ["sky.com"] = true, ["virginmedia.com"] = true,
  ["talktalk.net"] = true, ["protonmail.com"] = true, ["proton.me"] = true,
}

local function domain_of(address)
  return (address:match("@([^@]+)$") or ""):lower()
end

local function load_directory(sender)
  school_domains = { [domain_of(sender)] = true }
  known_addresses = {}
  local staff_per_domain = {}
  for person in users.select("status:any email:present"):each() do
    local address = person.email:lower()
    known_addresses[address] = true
    if person.role == "teacher" or person.role == "staff" then
      local domain = domain_of(address)
      staff_per_domain[domain] = (staff_per_domain[domain] or 0) + 1
    end
  end
  for domain, count in pairs(staff_per_domain) do
    if count >= 2 and not PUBLIC_PROVIDERS[domain] then school_domains[domain] = true end
  end
end

-- Returns nil when mail to `address` is allowed, else the reason it is not.
local function refusal(message)
  if school_domains == nil then load_directory(message.from) end
  local address = message.to:lower()
  local in_school = school_domains[domain_of(address)] == true

  if message.user ~= nil then
    local own = message.user.email and message.user.email:lower()
    if address == own or in_school then return nil end
    return ("the message is for %s (%s), but goes to %s, which is not their address in the directory "
      .. "and not in the school's domains"):format(message.user.name, message.user.key, message.to)
  end
  if in_school or known_addresses[address] then return nil end
  return ("%s is not in the school's domains and belongs to nobody in the directory; "
    .. "import the contact first, or check the address"):format(message.to)
end

return {
  name = "safe-recipients",
  version = "1.0.0",
  summary = "Withholds mail to addresses that are neither the recipient's own nor in the school's domains.",
  lanyard = "^1.0",
  capabilities = { "directory.read" },

  hooks = {
    before_send = function(message)
      local reason = refusal(message)
      if reason then return false, reason end
      return true
    end,
  },

  commands = {
    check = {
      summary = "Says whether the rule would let a message to an address through.",
      example = "lanyard safe-recipients check carer@example.org --from office@school.sch.uk",
      arguments = { { name = "to", help = "The address to check." } },
      options = { from = "The sending address, whose domain counts as the school's." },
      run = function(args)
        if args.from == nil then
          error("give the sending address with --from, such as --from office@school.sch.uk", 0)
        end
        local reason = refusal({ to = args.to, from = args.from })
        if reason then
          print("withheld: " .. reason)
          return false
        end
        return "allowed: " .. args.to
      end,
    },
  },
}
