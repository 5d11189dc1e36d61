--[[
  Queues a batch of analyses, each as if on its own: writes the job record, indexes it for its
  user, counts it against the user's cap of active (queued + processing) jobs, XADDs its id to
  the stream and records the `queued` progress event, atomically. Jobs are taken in order, so
  a later job of the batch sees the earlier ones (the cap, an idempotency key).

  KEYS  stream, admissionQueue (zset), admissionWaiting, admissionTags, admissionWeights (hashes)
  ARGV  maxActive, progressLogMax, group, admissionLimit (backlog limit; 0: straight to the stream)
  per job: KEYS job (hash), userJobs (zset), idempotency (string; unused when idempotencyTtl
        is 0), progress (stream), userActive (zset); ARGV analysisId, createdAt (epoch ms),
        idempotencyTtl (s; 0: no key), userId; lists: record (the request's own field/value
        pairs; the script adds the id, user, status `queued`, created_at = updated_at =
        createdAt and attempts 0)
  Admission (the `admission` include): the id enters the stream at once unless others wait or
  the backlog is at the limit; then it waits on the admission queue (status `queued`, no
  `entry_id` until a claim reads its entry).

  Returns one reply per job: { 'queued', analysisId }, also when the record already exists: a
  command resent after a reconnect finds its own job and writes nothing (a finished job stays
  finished); { 'existing', id } when the idempotency key already named an analysis (nothing is
  written); { 'at-cap', active, ids... } when the user is at the cap, with the ids on the
  user's active set, so the caller can prune those that have ended (pruneActiveJobs.lua) and
  try again. Every key it touches is in KEYS.
  Events: `queued` on each progress log (not on the channel: the ids are new, so no one listens yet).
]]
--- @include "progressEvent"
--- @include "admission"

local maxActive = tonumber(A.maxActive)
-- Every job's `queued` event but its time, made once per call (the time is its last field).
local queuedEventHead = string.sub(progressEvent('queued', 'queued', '0', 'queued', '', ''), 1, -2)
-- With admission off a job enters the stream without the admission state being built.
local adm
if A.admissionLimit ~= '0' then
  adm = admission({ stream = K.stream, group = A.group, queue = K.admissionQueue, waiting = K.admissionWaiting, tags = K.admissionTags, weights = K.admissionWeights, limit = A.admissionLimit })
end

local function enqueue(item)
  if redis.call('EXISTS', item.job) == 1 then return { 'queued', item.analysisId } end

  -- (Whole seconds, compared as text: tonumber and number-to-text each cost a libc call.)
  local idempotent = item.idempotencyTtl ~= '0'
  if idempotent then
    local existing = redis.call('GET', item.idempotency)
    if existing then return { 'existing', existing } end
  end

  local active = redis.call('ZCARD', item.userActive)
  if active >= maxActive then
    local reply = { 'at-cap', active }
    for _, id in ipairs(redis.call('ZRANGE', item.userActive, 0, -1)) do reply[#reply + 1] = id end
    return reply
  end

  -- Fair admission: the entry id when admitted at once, false when the job waits its turn.
  local entryId
  if adm then
    entryId = admitOrWait(adm, item.analysisId, item.userId)
  else
    entryId = redis.call('XADD', K.stream, '*', 'analysis_id', item.analysisId)
  end
  -- The fields the script knows already are written from its own arguments: sending them again
  -- in the record cost every enqueue a dozen arguments to encode and parse.
  local createdAt = item.createdAt
  if entryId then
    redis.call('HSET', item.job, 'analysis_id', item.analysisId, 'user_id', item.userId, 'status', 'queued', 'created_at', createdAt, 'updated_at', createdAt, 'attempts', '0', 'entry_id', entryId, unpack(item.record))
  else
    redis.call('HSET', item.job, 'analysis_id', item.analysisId, 'user_id', item.userId, 'status', 'queued', 'created_at', createdAt, 'updated_at', createdAt, 'attempts', '0', unpack(item.record))
  end
  redis.call('ZADD', item.userJobs, createdAt, item.analysisId)
  redis.call('ZADD', item.userActive, createdAt, item.analysisId)
  if idempotent then redis.call('SET', item.idempotency, item.analysisId, 'EX', item.idempotencyTtl) end

  -- Logged, not published: nobody can be subscribed to an id this script has just made up.
  -- The event is the script's own (as fixed as the status it announces), at the job's creation
  -- time: sending it cost more than building it.
  redis.call('XADD', item.progress, 'MAXLEN', '~', A.progressLogMax, '*', 'event', queuedEventHead .. createdAt .. '}')
  return { 'queued', item.analysisId }
end

local replies = {}
for i, item in ipairs(ITEMS) do replies[i] = enqueue(item) end
return replies
