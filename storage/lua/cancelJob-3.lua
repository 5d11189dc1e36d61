--[[
  Cancels one job on behalf of its user. A queued job becomes `cancelled` at once, with its
  terminal progress event, and never runs (the claim script skips and acknowledges terminal
  jobs). A processing job is handed to whichever worker owns it: `cancel_requested` is set
  on the record and the request is published on the cancel channel.

  KEYS  job, progress, userActive (zset), archive (outbox stream), retention (schedule zset),
        admissionQueue (zset), admissionWaiting, admissionTags (hashes)
  ARGV  userId, now (epoch ms), channel (progress), cancelChannel, progressTtl (s), progressLogMax,
        resultTtl (s; 0 keeps finished jobs), archiving ('1' or '0')

  Returns { outcome, status } with outcome one of
    'cancelled'  (was queued; status is now cancelled)
    'requested'  (processing; the owner was asked to stop)
    'terminal'   (already completed, failed or cancelled; nothing written)
    'missing'    (no such job for this user; nothing written)
  A queued job still waiting for admission is withdrawn from the admission queue.
  Events: `cancelled` (queued jobs); a cancel request `{"analysis_id": ...}` (processing jobs).
]]
--- @include "appendProgress"
--- @include "terminalEvent"
--- @include "archiveOutbox"
--- @include "admission"

local current = redis.call('HMGET', K.job, 'status', 'user_id', 'analysis_id')
local status, owner, analysisId = current[1], current[2], current[3]
if not status or owner ~= A.userId then return { 'missing', '' } end

if status == 'queued' then
  redis.call('HSET', K.job, 'status', 'cancelled', 'updated_at', A.now, 'finished_at', A.now, 'error', 'cancelled by the user')
  appendProgress(K.progress, A.channel, A.progressLogMax, analysisId, terminalEvent('cancelled', 'cancelled by the user', A.now))
  redis.call('EXPIRE', K.progress, tonumber(A.progressTtl))
  redis.call('ZREM', K.userActive, analysisId)
  -- A job still waiting for admission leaves the admission queue with its status.
  withdrawWaiting(admission({ queue = K.admissionQueue, waiting = K.admissionWaiting, tags = K.admissionTags }), analysisId, owner)
  retainFinished({ key = K.job, progressKey = K.progress }, { ttl = A.resultTtl, now = A.now, archive = A.archiving, archiveKey = K.archive, scheduleKey = K.retention })
  return { 'cancelled', 'cancelled' }
end

if status == 'processing' then
  redis.call('HSET', K.job, 'cancel_requested', 1)
  redis.call('PUBLISH', A.cancelChannel, cjson.encode({ analysis_id = analysisId }))
  return { 'requested', 'processing' }
end

return { 'terminal', status }
