-- run-digest: after every script run and import, adds a short entry to run-digest.md in the
-- workspace: what ran, how many codes were read, how many messages were queued and withheld.
-- `lanyard run-digest show` prints the latest entries.

local DIGEST = "run-digest.md"

local function count_actions(actions, prefix)
  local count = 0
  for _, action in ipairs(actions or {}) do
    if action:sub(1, #prefix) == prefix then count = count + 1 end
  end
  return count
end

local function append(entry)
  local existing = files.read(DIGEST) or "# Run digest\n"
  files.write(DIGEST, existing .. "\n" .. entry .. "\n")
end

local function now()
  return os.date("!%Y-%m-%d %H:%M UTC")
end

return {
  name = "run-digest",
  version = "1.0.0",
  summary = "Keeps a digest of codes read and messages sent by each run, in run-digest.md.",
  lanyard = "^1.0",
  capabilities = { "files.read", "files.write" },

  hooks = {
    after_run = function(report)
      if report.dry_run then return end
      append(("## %s: %s\n- codes read: %d\n- messages queued: %d\n- messages withheld: %d\n- rows changed: %d"):format(
        now(), report.script:match("[^/]+$"), count_actions(report.actions, "code.read"), report.queued_messages,
        count_actions(report.actions, "mail.withheld"), report.changes.total or 0))
    end,

    after_import = function(summary)
      if summary.dry_run then return end
      append(("## %s: import of %s\n- new: %d, updated: %d, left: %d, invalid: %d"):format(
        now(), summary.source:match("[^/]+$"), summary.new, summary.updated, summary.left, summary.invalid))
    end,
  },

  commands = {
    show = {
      summary = "Prints the latest entries of the digest.",
      example = "lanyard run-digest show --last 5",
      options = { last = "How many entries to print (default 10)." },
      run = function(args)
        local text = files.read(DIGEST)
        if text == nil then return "No runs recorded yet in " .. DIGEST .. "." end
        local entries = {}
        for entry in text:gmatch("## [^\n]*\n[^#]*") do entries[#entries + 1] = entry end
        local last = tonumber(args.last or "10")
        if last == nil or last < 1 then error("--last takes a whole number of entries, such as 5", 0) end
        local first = math.max(1, #entries - last + 1)
        return table.concat(entries, "", first, #entries)
      end,
    },
  },
}
