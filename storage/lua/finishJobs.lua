--[[
  Finishes a batch of jobs: for each, checks the owner token, writes the terminal status and
  result fields, appends the final progress event and XACKs the entry, atomically. A worker
  that lost ownership (its entry was reclaimed) cannot finish the job; a terminal job never
  changes again. A job whose user asked to cancel it (`cancel_requested`) ends `cancelled`,
  whatever the worker reports: a cancelled job never completes.

  KEYS  stream, archive (outbox stream), retention (schedule zset), admissionQueue (zset),
        admissionWaiting, admissionTags, admissionWeights (hashes)
  ARGV  group, now (epoch ms), channel (progress), progressTtl (s, set once the job is
        terminal), progressLogMax, resultTtl (s; 0 keeps finished jobs), archiving ('1' or '0'),
        admissionLimit (backlog limit; 0: admit every waiting job)
  per job: KEYS job, progress; ARGV entryId, owner (token), status (terminal);
        lists: event (the final event's fields), fields (result field/value pairs)

  Returns one integer per job: 1 finished as asked, 2 finished `cancelled` instead (a cancel
  request won), 0 not the owner (or no longer processing).
  Then admits waiting jobs into the room the batch's reads left (the `admission` include).
  Events: the final event (`completed`, `failed` or `cancelled`) of each finished job.
]]
--- @include "appendProgress"
--- @include "cancelRunning"
--- @include "runLedger"
--- @include "archiveOutbox"
--- @include "admission"

local context = { stream = K.stream, group = A.group, channel = A.channel, now = A.now, logMax = A.progressLogMax, progressTtl = tonumber(A.progressTtl) }
context.retention = { ttl = A.resultTtl, now = A.now, archive = A.archiving, archiveKey = K.archive, scheduleKey = K.retention }
local results = {}

for i, item in ipairs(ITEMS) do
  local job = { key = item.keys.job, progressKey = item.keys.progress }
  local entryId, owner, status = item.args.entryId, item.args.owner, item.args.status
  closeRun(job.key, owner)
  local current = redis.call('HMGET', job.key, 'status', 'owner', 'cancel_requested')
  if current[1] == 'processing' and current[2] == owner and current[3] == '1' and status ~= 'cancelled' then
    cancelRunning(job, entryId, context)
    results[i] = 2
  elseif current[1] == 'processing' and current[2] == owner then
    -- The error of an earlier failed attempt does not outlive a success; a failure writes its own.
    redis.call('HDEL', job.key, 'owner', 'error')
    redis.call('HSET', job.key, 'status', status, 'updated_at', A.now, 'finished_at', A.now)
    if #item.args.fields > 0 then redis.call('HSET', job.key, unpack(item.args.fields)) end
    appendProgress(job.progressKey, A.channel, A.progressLogMax, redis.call('HGET', job.key, 'analysis_id'), progressEvent(unpack(item.args.event)))
    redis.call('EXPIRE', job.progressKey, context.progressTtl)
    redis.call('XACK', K.stream, A.group, entryId)
    retainFinished(job, context.retention)
    results[i] = 1
  else
    results[i] = 0
  end
end
-- Fair admission: consumers read entries before they finish them, so there may be room now.
admitWaiting(admission({ stream = K.stream, group = A.group, queue = K.admissionQueue, waiting = K.admissionWaiting, tags = K.admissionTags, weights = K.admissionWeights, limit = A.admissionLimit }))
return results
