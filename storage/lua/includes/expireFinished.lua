-- expireFinished(jobKey, progressKey, retention)
-- Starts a terminal job's retention: its record (attempt history included) and progress log
-- expire retention.ttl seconds from now, and the retention schedule names it, so the sweeper
-- (trimRetention.lua) drops it from its user's indexes, and deletes the idempotency key that
-- queued it, once it has expired, without scanning the keyspace. A ttl of 0 keeps the job forever.
-- retention = { ttl (s), now (epoch ms), archive ('1': archiving on), archiveKey, scheduleKey }.
--- @include "retentionMember"
local function expireFinished(jobKey, progressKey, retention)
  local ttl = tonumber(retention.ttl)
  if ttl <= 0 then return end
  local ids = redis.call('HMGET', jobKey, 'analysis_id', 'user_id', 'idempotency_key')
  if not ids[1] then return end
  redis.call('EXPIRE', jobKey, ttl)
  redis.call('EXPIRE', progressKey, ttl)
  redis.call('ZADD', retention.scheduleKey, tonumber(retention.now) + ttl * 1000, retentionMember(ids[1], ids[2], ids[3]))
end
