--[[
  Trims acknowledged entries from the job stream, so it does not grow with every job ever
  queued (the job records keep the results). Removes the entries older than the oldest
  pending one, or, with nothing pending, every entry the group has delivered. Entries not
  yet delivered and entries still pending are never touched: MAXLEN would drop pending
  payloads while the pending list keeps their ids, so this trims by MINID.

  KEYS  stream
  ARGV  group

  Returns the number of entries removed.
]]
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local lastDelivered
for _, group in ipairs(redis.call('XINFO', 'GROUPS', K.stream)) do
  local fields = {}
  for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
  if fields['name'] == A.group then lastDelivered = fields['last-delivered-id'] end
end
if not lastDelivered or lastDelivered == '0-0' then return 0 end

local oldestPending = redis.call('XPENDING', K.stream, A.group)[2]
local keepFrom
if oldestPending then
  keepFrom = oldestPending
else
  local ms, seq = parse(lastDelivered)
  keepFrom = ms .. '-' .. (seq + 1)
end
return redis.call('XTRIM', K.stream, 'MINID', keepFrom)
