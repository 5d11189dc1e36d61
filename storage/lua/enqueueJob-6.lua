--[[
  Queues one analysis: writes the job record, indexes it for its user, counts it against the
  user's cap of active (queued + processing) jobs, XADDs its id to the stream and records the
  `queued` progress event, atomically.

  KEYS  stream, job (hash), userJobs (zset), idempotency (string; unused when idempotencyTtl
        is 0), progress (stream), userActive (zset)
  ARGV  analysisId, createdAt (epoch ms), idempotencyTtl (s; 0: no key), maxActive,
        jobKeyPrefix (the job key of an id is prefix .. id), progressLogMax;
        lists: event (the `queued` event's fields), record (field/value pairs)

  Returns { 'queued', analysisId }; { 'existing', id } when the idempotency key already
  named an analysis (nothing is written); { 'at-cap', active } when the user is at the cap.
  Events: `queued` on the progress log (not on the channel: the id is new, so no one listens yet).

  The active set is pruned here, lazily, of jobs that reached a terminal state by any path
  (finish, cancel, dead letter), so no terminal transition has to maintain it. The records
  read while pruning share the stream's hash tag, so they sit in this script's cluster slot.
]]
--- @include "progressEvent"

local ttl = tonumber(A.idempotencyTtl)
if ttl > 0 then
  local existing = redis.call('GET', K.idempotency)
  if existing then return { 'existing', existing } end
end

local cap = tonumber(A.maxActive)
local active = redis.call('ZCARD', K.userActive)
if active >= cap then
  for _, id in ipairs(redis.call('ZRANGE', K.userActive, 0, -1)) do
    local status = redis.call('HGET', A.jobKeyPrefix .. id, 'status')
    if status ~= 'queued' and status ~= 'processing' then redis.call('ZREM', K.userActive, id) end
  end
  active = redis.call('ZCARD', K.userActive)
  if active >= cap then return { 'at-cap', active } end
end

local entryId = redis.call('XADD', K.stream, '*', 'analysis_id', A.analysisId)
redis.call('HSET', K.job, 'entry_id', entryId, unpack(A.record))
redis.call('ZADD', K.userJobs, A.createdAt, A.analysisId)
redis.call('ZADD', K.userActive, A.createdAt, A.analysisId)
if ttl > 0 then redis.call('SET', K.idempotency, A.analysisId, 'EX', ttl) end

-- Logged, not published: nobody can be subscribed to an id this script has just made up.
redis.call('XADD', K.progress, 'MAXLEN', '~', A.progressLogMax, '*', 'event', progressEvent(unpack(A.event)))
return { 'queued', A.analysisId }
