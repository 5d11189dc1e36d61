--[[
  Acknowledges archived jobs on the archive (outbox) stream and starts their retention: for
  each, XACK + XDEL of its outbox entry (the stream empties as the archiver catches up), and,
  when the job is still terminal, `archived_at` on its record and its expiry, resultTtl after
  it finished (at least one second from now: a record never expires before it is archived).
  A job replayed meanwhile (no longer terminal) is only acknowledged: it is archived again
  when it ends again.

  KEYS  archive (stream), retention (schedule zset)
  ARGV  group, now (epoch ms), resultTtl (s; 0 keeps finished jobs)
  per job: KEYS job, progress; ARGV entryId

  Returns the number of outbox entries acknowledged.
  Events: none.
]]
--- @include "expireFinished"

local acknowledged = 0
local ttl = tonumber(A.resultTtl)
local now = tonumber(A.now)
for _, item in ipairs(ITEMS) do
  acknowledged = acknowledged + redis.call('XACK', K.archive, A.group, item.args.entryId)
  redis.call('XDEL', K.archive, item.args.entryId)
  local current = redis.call('HMGET', item.keys.job, 'status', 'finished_at')
  local status = current[1]
  if status == 'completed' or status == 'failed' or status == 'cancelled' then
    redis.call('HSET', item.keys.job, 'archived_at', A.now)
    if ttl > 0 then
      local remaining = math.floor(((tonumber(current[2]) or now) + ttl * 1000 - now) / 1000)
      expireFinished(item.keys.job, item.keys.progress, { ttl = math.max(1, remaining), now = A.now, scheduleKey = K.retention })
    end
  end
end
return acknowledged
