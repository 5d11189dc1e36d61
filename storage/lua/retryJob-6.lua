--[[
  Ends one failed attempt of a running job, fenced by its owner token like finishJobs.lua:
  records the attempt in the job's history, then either schedules a retry (status back to
  `queued`, attempts + 1, ZADD on the retry schedule at the due time, a `retrying` event) or,
  once the retries are used up, dead-letters it (status `failed`). Either way the old entry
  is acknowledged; the retry scheduler XADDs a new one when the retry is due.
  A job whose user asked to cancel it ends `cancelled` instead, never retried.

  KEYS  stream, job, progress, schedule (zset), deadLetters (stream), deadLetterIndex (hash),
        archive (outbox stream), retention (schedule zset)
  ARGV  group, now (epoch ms), channel (progress), progressTtl (s, set once the job is
        terminal), progressLogMax, deadLetterMax, entryId, owner (token), error, node (the
        worker consumer), maxRetries, dueAt (epoch ms), resultTtl (s; 0 keeps finished
        jobs), archiving ('1' or '0'), retryingEvent (its JSON)

  Returns { outcome, attempts }: 'retrying' (attempts is the new count), 'dead-lettered',
  'cancelled', or 'lost' (this owner no longer holds a processing job; nothing written).
  Events: `retrying`, or the final `failed` / `cancelled` event.
]]
--- @include "appendProgress"
--- @include "recordAttempt"
--- @include "deadLetter"
--- @include "cancelRunning"
--- @include "runLedger"

local context = {
  stream = K.stream, group = A.group, channel = A.channel, now = A.now, logMax = A.progressLogMax,
  progressTtl = tonumber(A.progressTtl), deadLetters = K.deadLetters, deadLetterIndex = K.deadLetterIndex,
  deadLetterMax = A.deadLetterMax,
}
context.retention = { ttl = A.resultTtl, now = A.now, archive = A.archiving, archiveKey = K.archive, scheduleKey = K.retention }
local job = { key = K.job, progressKey = K.progress }

closeRun(K.job, A.owner)
local current = redis.call('HMGET', K.job, 'status', 'owner', 'attempts', 'cancel_requested', 'analysis_id')
if current[1] ~= 'processing' or current[2] ~= A.owner then return { 'lost', 0 } end
local attempts = tonumber(current[3] or '0')

if current[4] == '1' then
  cancelRunning(job, A.entryId, context)
  return { 'cancelled', attempts }
end

recordAttempt(K.job, A.now, A.error, A.node)
if attempts >= tonumber(A.maxRetries) then
  deadLetter(job, A.entryId, A.error, context)
  return { 'dead-lettered', attempts }
end

attempts = redis.call('HINCRBY', K.job, 'attempts', 1)
redis.call('HSET', K.job, 'status', 'queued', 'error', A.error, 'updated_at', A.now, 'retry_at', A.dueAt)
redis.call('HDEL', K.job, 'owner')
redis.call('ZADD', K.schedule, A.dueAt, current[5])
appendProgress(K.progress, A.channel, A.progressLogMax, current[5], A.retryingEvent)
redis.call('XACK', K.stream, A.group, A.entryId)
return { 'retrying', attempts }
