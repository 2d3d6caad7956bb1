-- Year groups as MIS reports write them: "7", "07", "Y7", "Year 7", "R", "Reception".
local years = {}

local function cleaned(text)
  return (tostring(text):lower():gsub("^%s+", ""):gsub("%s+$", ""))
end

-- Nursery classes: "N1", "N2", "Nursery".
function years.is_nursery(text)
  if text == nil then return false end
  local value = cleaned(text)
  return value == "n1" or value == "n2" or value:find("nursery", 1, true) ~= nil
end

-- The year group as a number from 0 (Reception) to 13, or nil.
function years.number(text)
  if text == nil then return nil end
  local value = cleaned(text)
  if value == "r" or value == "rec" or value == "reception" then return 0 end
  local number = tonumber(value:match("^y?e?a?r?%s*(%d+)$"))
  if number == nil or number > 13 then return nil end
  return number
end

return years
