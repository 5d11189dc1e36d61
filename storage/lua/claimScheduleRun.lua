--[[
  Claims the bars of a due schedule, so that one node, and one only, runs its scan per bar.
  For each interval whose latest closed bar is newer than `last_bar:{interval}`, the bar is
  recorded as run and the schedule gets a pending run under scanId: the caller creates that
  scan (idempotent by its id) and confirms it. Any node that meets a pending run creates and
  confirms it too, so a node dying between this script and the scan loses nothing. Bars that
  closed while no node ran are never claimed one by one: only the latest closed bar is passed.
  A pending run that newer bars overtake is replaced (its scan may or may not exist).

  KEYS  schedule (hash), due (zset)
  ARGV  scheduleId, nextDue (epoch ms, when nothing is left to run), retryAt (epoch ms, while
        a run is pending), scanId (for a new run); lists: bars (interval, bar open ms pairs)

  Returns { 'run', scanId, interval, bar, ... } for a new run, { 'pending', scanId, interval,
  bar, ... } for a run claimed before and not yet confirmed, { 'none' } when nothing is due,
  { 'paused' } or { 'gone' } (the schedule leaves the due set).
]]
if redis.call('EXISTS', K.schedule) == 0 then
  redis.call('ZREM', K.due, A.scheduleId)
  return { 'gone' }
end
if redis.call('HGET', K.schedule, 'status') ~= 'active' then
  redis.call('ZREM', K.due, A.scheduleId)
  return { 'paused' }
end

local claimed = {}
for i = 1, #A.bars, 2 do
  local interval, bar = A.bars[i], tonumber(A.bars[i + 1])
  local last = tonumber(redis.call('HGET', K.schedule, 'last_bar:' .. interval) or '-1')
  if bar > last then
    claimed[#claimed + 1] = interval
    claimed[#claimed + 1] = A.bars[i + 1]
  end
end

local pending = redis.call('HGET', K.schedule, 'pending_scan')
if #claimed == 0 then
  if not pending then
    redis.call('ZADD', K.due, A.nextDue, A.scheduleId)
    return { 'none' }
  end
  redis.call('ZADD', K.due, A.retryAt, A.scheduleId)
  local reply = { 'pending', pending }
  local bars = redis.call('HGET', K.schedule, 'pending_bars') or ''
  for part in string.gmatch(bars, '[^,]+') do
    local interval, bar = string.match(part, '^(.-)=(.*)$')
    reply[#reply + 1] = interval
    reply[#reply + 1] = bar
  end
  return reply
end

local parts = {}
for i = 1, #claimed, 2 do
  redis.call('HSET', K.schedule, 'last_bar:' .. claimed[i], claimed[i + 1])
  parts[#parts + 1] = claimed[i] .. '=' .. claimed[i + 1]
end
redis.call('HSET', K.schedule, 'pending_scan', A.scanId, 'pending_bars', table.concat(parts, ','))
redis.call('ZADD', K.due, A.retryAt, A.scheduleId)
local reply = { 'run', A.scanId }
for _, value in ipairs(claimed) do reply[#reply + 1] = value end
return reply
