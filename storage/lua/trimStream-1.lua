--[[
  Trims acknowledged entries from the job stream, so it does not grow with every job ever
  queued (the job records keep the results). Removes the entries older than the oldest
  pending one, or, with nothing pending, every entry the group has delivered. Entries not
  yet delivered and entries still pending are never touched: MAXLEN would drop pending
  payloads (LIBRARIES.md), so this trims by MINID.

  KEYS[1] job stream
  ARGV[1] consumer group

  Returns the number of entries removed.
]]
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local lastDelivered
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local fields = {}
  for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
  if fields['name'] == ARGV[1] then lastDelivered = fields['last-delivered-id'] end
end
if not lastDelivered or lastDelivered == '0-0' then return 0 end

local oldestPending = redis.call('XPENDING', KEYS[1], ARGV[1])[2]
local keepFrom
if oldestPending then
  keepFrom = oldestPending
else
  local ms, seq = parse(lastDelivered)
  keepFrom = ms .. '-' .. (seq + 1)
end
return redis.call('XTRIM', KEYS[1], 'MINID', keepFrom)
