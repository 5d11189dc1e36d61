--[[
  Pauses or resumes a schedule. Paused, it leaves the due set; resumed, it counts the latest
  closed bars as already seen, so it runs from the next close on (never the bars it slept
  through, nor a run left pending when it was paused), and is due again at nextDue.

  KEYS  schedule (hash), due (zset)
  ARGV  scheduleId, status ('active' | 'paused'), now (epoch ms), nextDue (epoch ms);
        lists: bars (interval, latest closed bar open ms pairs)

  Returns 'ok', or 'missing' when the schedule does not exist (nothing written).
]]
if redis.call('EXISTS', K.schedule) == 0 then return 'missing' end
redis.call('HSET', K.schedule, 'status', A.status, 'updated_at', A.now)
if A.status ~= 'active' then
  redis.call('ZREM', K.due, A.scheduleId)
  return 'ok'
end
redis.call('HDEL', K.schedule, 'pending_scan', 'pending_bars')
for i = 1, #A.bars, 2 do
  local field = 'last_bar:' .. A.bars[i]
  local last = tonumber(redis.call('HGET', K.schedule, field) or '-1')
  if tonumber(A.bars[i + 1]) > last then redis.call('HSET', K.schedule, field, A.bars[i + 1]) end
end
redis.call('ZADD', K.due, A.nextDue, A.scheduleId)
return 'ok'
