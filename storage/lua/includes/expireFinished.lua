-- expireFinished(jobKey, progressKey, retention)
-- Starts a terminal job's retention: its record (attempt history included) and progress log
-- expire retention.ttl seconds from now, and the retention schedule names it, so the sweeper
-- (trimRetention.lua) drops it from its user's indexes once it has expired, without scanning
-- the keyspace. A ttl of 0 keeps the job forever. The job's idempotency key, when its record
-- names one (`idempotency_key`, written by the enqueue script under the job's own hash tag,
-- so it is in this script's slot although not in KEYS), expires with it, if it still names
-- this job.
-- retention = { ttl (s), now (epoch ms), archive ('1': archiving on), archiveKey, scheduleKey }.
local function expireFinished(jobKey, progressKey, retention)
  local ttl = tonumber(retention.ttl)
  if ttl <= 0 then return end
  local ids = redis.call('HMGET', jobKey, 'analysis_id', 'user_id', 'idempotency_key')
  if not ids[1] then return end
  redis.call('EXPIRE', jobKey, ttl)
  redis.call('EXPIRE', progressKey, ttl)
  if ids[3] and redis.call('GET', ids[3]) == ids[1] then redis.call('EXPIRE', ids[3], ttl) end
  redis.call('ZADD', retention.scheduleKey, tonumber(retention.now) + ttl * 1000, ids[1] .. ':' .. (ids[2] or ''))
end
