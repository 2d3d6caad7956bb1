-- mis-layouts: import layouts for SIMS and Arbor student reports, a parent code file for
-- Arbor, and a parent invitation worded for Arbor schools.
--
-- NOTE: the column names follow the reports as SIMS and Arbor document them; they were not
-- checked against a live export. Adjust the tables below if a school's report differs.

local years = require "years"

-- SIMS marks guests and subsidiary dual-registered pupils, who log in at their main school.
local function sims_is_main_registration(status)
  if status == nil or status == "" then return true end
  local lowered = status:lower()
  return not (lowered:find("guest", 1, true) or lowered:find("subsidiary", 1, true))
end

-- Rewrites the year group as a number; false for nursery pupils, who get no login. A value
-- it does not know is left for the import to reject with the row's line number.
local function normalised_year(fields)
  if fields.year == nil then return true end
  if years.is_nursery(fields.year) then return false end
  local year = years.number(fields.year)
  if year ~= nil then fields.year = tostring(year) end
  return true
end

return {
  name = "mis-layouts",
  version = "1.0.0",
  summary = "Import layouts for SIMS and Arbor student reports, and an Arbor parent code file.",
  lanyard = "^1.0",
  -- The Arbor export layout receives each student's parent code.
  capabilities = { "codes.read" },

  functions = {
    -- year_number("Year 7") == 7, year_number("Reception") == 0, nil for nursery or nonsense.
    year_number = function(text) return years.number(text) end,
  },

  import_layouts = {
    ["sims-students"] = {
      kind = "students",
      columns = { ["Reg Group"] = "reg" },
      -- Leaves out guests, subsidiary registrations and nursery pupils.
      transform = function(fields, cells)
        if not sims_is_main_registration(cells["Enrolment Status"]) then return nil end
        if not normalised_year(fields) then return nil end
        return fields
      end,
    },
    ["arbor-students"] = {
      kind = "students",
      -- Arbor calls the registration group a form, and may give "Year 7" or "Reception".
      transform = function(fields, cells)
        fields.reg = fields.reg or cells["Registration Form"] or cells["Form"]
        if not normalised_year(fields) then return nil end
        return fields
      end,
    },
  },

  export_layouts = {
    ["arbor-parent-codes"] = {
      columns = { "UPN", "Legal First Name", "Legal Last Name", "Year", "Parent Code", "Expiry Date" },
      row = function(student)
        return {
          student.upn, student.legal_forename, student.surname, student.year,
          student.parent_code, student.parent_code_expires,
        }
      end,
    },
  },
}
