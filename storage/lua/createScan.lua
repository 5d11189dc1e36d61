--[[
  Creates a scan and its children atomically: the scan record, the user's scan index, one
  slot on the user's active-job cap for the whole scan (or one per child, when children
  count as jobs), and per child a job record carrying `scan_id`, its `queued` event, its
  place on the user's job index and its stream entry.

  KEYS  stream, scan (hash), scanChildren (list), userScans (zset), userActive (zset),
        userJobs (zset), admissionQueue (zset), admissionWaiting, admissionTags,
        admissionWeights (hashes)
  ARGV  scanId, createdAt (epoch ms), maxActive, cost (cap slots the scan takes),
        childrenAsJobs ('1': each child holds its own slot), progressLogMax, userId, group,
        admissionLimit (backlog limit; 0: children go straight to the stream), event (the
        children's `queued` event, JSON); lists: scanRecord (field/value pairs)
  per child: KEYS job, progress; ARGV analysisId; lists: record (field/value pairs)

  Returns { 'queued', scanId }, also when the scan already exists (a resent command writes
  nothing); { 'at-cap', active, ids... } when the scan does not fit under the cap (nothing
  is written), with the ids on the active set so the caller can prune ended ones.
  Admission (the `admission` include): children enter the stream while nobody waits and the
  backlog is under the limit; the rest wait their turn on the admission queue, in order.
  Events: each child's `queued` event on its progress log (not published: the ids are new).
]]
--- @include "admission"

if redis.call('EXISTS', K.scan) == 1 then return { 'queued', A.scanId } end

local active = redis.call('ZCARD', K.userActive)
if active + tonumber(A.cost) > tonumber(A.maxActive) then
  local reply = { 'at-cap', active }
  for _, id in ipairs(redis.call('ZRANGE', K.userActive, 0, -1)) do reply[#reply + 1] = id end
  return reply
end

redis.call('HSET', K.scan, unpack(A.scanRecord))
redis.call('ZADD', K.userScans, A.createdAt, A.scanId)
if A.childrenAsJobs ~= '1' then redis.call('ZADD', K.userActive, A.createdAt, A.scanId) end

local event = A.event
local adm = admission({ stream = K.stream, group = A.group, queue = K.admissionQueue, waiting = K.admissionWaiting, tags = K.admissionTags, weights = K.admissionWeights, limit = A.admissionLimit })
for _, item in ipairs(ITEMS) do
  local id = item.args.analysisId
  -- Fair admission: the entry id when admitted at once, false when the child waits its turn.
  local entryId = admitOrWait(adm, id, A.userId)
  if entryId then
    redis.call('HSET', item.keys.job, 'entry_id', entryId, unpack(item.args.record))
  else
    redis.call('HSET', item.keys.job, unpack(item.args.record))
  end
  redis.call('ZADD', K.userJobs, A.createdAt, id)
  if A.childrenAsJobs == '1' then redis.call('ZADD', K.userActive, A.createdAt, id) end
  redis.call('XADD', item.keys.progress, 'MAXLEN', '~', A.progressLogMax, '*', 'event', event)
  redis.call('RPUSH', K.scanChildren, id)
end
return { 'queued', A.scanId }
