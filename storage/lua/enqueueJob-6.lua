--[[
  Queues one analysis: writes the job record, indexes it for its user, counts it against the
  user's cap of active (queued + processing) jobs, XADDs its id to the stream and records the
  `queued` progress event, atomically.

  KEYS  stream, job (hash), userJobs (zset), idempotency (string; unused when idempotencyTtl
        is 0), progress (stream), userActive (zset), admissionQueue (zset), admissionWaiting,
        admissionTags, admissionWeights (hashes)
  ARGV  analysisId, createdAt (epoch ms), idempotencyTtl (s; 0: no key), maxActive,
        progressLogMax, userId, group, admissionLimit (backlog limit; 0: straight to the stream);
        lists: record (the request's own field/value pairs; the script adds the id, user,
        status `queued`, created_at = updated_at = createdAt and attempts 0)
  Admission (the `admission` include): the id enters the stream at once unless others wait or
  the backlog is at the limit; then it waits on the admission queue (status `queued`, no
  `entry_id` until a claim reads its entry).

  Returns { 'queued', analysisId }, also when the record already exists: a command resent
  after a reconnect finds its own job and writes nothing (a finished job stays finished);
  { 'existing', id } when the idempotency key already named an analysis (nothing is
  written); { 'at-cap', active, ids... } when the user is at the cap, with the ids on the
  user's active set, so the caller can prune those that have ended (pruneActiveJobs.lua)
  and try again. Every key it touches is in KEYS.
  Events: `queued` on the progress log (not on the channel: the id is new, so no one listens yet).
]]
--- @include "progressEvent"

if redis.call('EXISTS', K.job) == 1 then return { 'queued', A.analysisId } end

local ttl = tonumber(A.idempotencyTtl)
if ttl > 0 then
  local existing = redis.call('GET', K.idempotency)
  if existing then return { 'existing', existing } end
end

local active = redis.call('ZCARD', K.userActive)
if active >= tonumber(A.maxActive) then
  local reply = { 'at-cap', active }
  for _, id in ipairs(redis.call('ZRANGE', K.userActive, 0, -1)) do reply[#reply + 1] = id end
  return reply
end

-- Fair admission: the entry id when admitted at once, false when the job waits its turn.
-- With admission off the job enters the stream without the admission state being built.
local entryId
-- (The limit is a whole number; compared as text, it needs no parsing.)
if A.admissionLimit ~= '0' then
  -- Included here, in the one block that uses it: its functions are closures made on every
  -- call that passes this point, and a call with admission off never does.
--- @include "admission"
  local adm = admission({ stream = K.stream, group = A.group, queue = K.admissionQueue, waiting = K.admissionWaiting, tags = K.admissionTags, weights = K.admissionWeights, limit = A.admissionLimit })
  entryId = admitOrWait(adm, A.analysisId, A.userId)
else
  entryId = redis.call('XADD', K.stream, '*', 'analysis_id', A.analysisId)
end
-- The fields the script knows already are written from its own arguments: sending them again
-- in the record cost every enqueue a dozen arguments to encode and parse.
local createdAt = A.createdAt
if entryId then
  redis.call('HSET', K.job, 'analysis_id', A.analysisId, 'user_id', A.userId, 'status', 'queued', 'created_at', createdAt, 'updated_at', createdAt, 'attempts', '0', 'entry_id', entryId, unpack(A.record))
else
  redis.call('HSET', K.job, 'analysis_id', A.analysisId, 'user_id', A.userId, 'status', 'queued', 'created_at', createdAt, 'updated_at', createdAt, 'attempts', '0', unpack(A.record))
end
redis.call('ZADD', K.userJobs, A.createdAt, A.analysisId)
redis.call('ZADD', K.userActive, A.createdAt, A.analysisId)
if ttl > 0 then redis.call('SET', K.idempotency, A.analysisId, 'EX', ttl) end

-- Logged, not published: nobody can be subscribed to an id this script has just made up.
-- The event is the script's own (as fixed as the status it announces), at the job's creation
-- time: sending its six fields cost more than building it.
redis.call('XADD', K.progress, 'MAXLEN', '~', A.progressLogMax, '*', 'event', progressEvent('queued', 'queued', 0, 'queued', A.createdAt, ''))
return { 'queued', A.analysisId }
