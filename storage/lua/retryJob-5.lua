--[[
  Ends one failed attempt of a running job, fenced by its owner token like finishJobs.lua:
  records the attempt in the job's history, then either schedules a retry (status back to
  `queued`, attempts + 1, ZADD on the retry schedule at the due time, a `retrying` event) or,
  once ANALYSIS_MAX_RETRIES retries are used up, dead-letters it (status `failed`). Either way
  the old entry is acknowledged; the retry scheduler XADDs a new one when the retry is due.
  A job whose user asked to cancel it ends `cancelled` instead, never retried.

  KEYS[1] job stream   KEYS[2] job record   KEYS[3] progress log   KEYS[4] retry schedule (zset)
  KEYS[5] dead-letter stream
  ARGV[1] consumer group   ARGV[2] now (epoch ms)   ARGV[3] progress channel
  ARGV[4] progress log TTL (s), set once the job is terminal
  ARGV[5] entry id   ARGV[6] owner token   ARGV[7] error   ARGV[8] node (worker consumer name)
  ARGV[9] max retries   ARGV[10] retry due at (epoch ms)   ARGV[11] retrying event JSON

  Returns { outcome, attempts }: 'retrying' (attempts is the new count), 'dead-lettered',
  'cancelled', or 'lost' (this owner no longer holds a processing job; nothing written).
  Events: `retrying`, or the final `failed` / `cancelled` event.
]]
--- @include "appendProgress"
--- @include "terminalEvent"
--- @include "recordAttempt"
--- @include "deadLetter"
--- @include "cancelRunning"

local stream, jobKey, progressKey, scheduleKey, deadLettersKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local group, now, channel, progressTtl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local entryId, owner, reason, node = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local maxRetries, dueAt, retryingEvent = tonumber(ARGV[9]), ARGV[10], ARGV[11]

local current = redis.call('HMGET', jobKey, 'status', 'owner', 'attempts', 'cancel_requested', 'analysis_id')
if current[1] ~= 'processing' or current[2] ~= owner then return { 'lost', 0 } end
local attempts = tonumber(current[3] or '0')

if current[4] == '1' then
  cancelRunning(stream, group, entryId, jobKey, progressKey, channel, now, progressTtl)
  return { 'cancelled', attempts }
end

recordAttempt(jobKey, now, reason, node)
if attempts >= maxRetries then
  deadLetter(stream, group, entryId, jobKey, progressKey, deadLettersKey, channel, now, reason, progressTtl)
  return { 'dead-lettered', attempts }
end

attempts = redis.call('HINCRBY', jobKey, 'attempts', 1)
redis.call('HSET', jobKey, 'status', 'queued', 'error', reason, 'updated_at', now, 'retry_at', dueAt)
redis.call('HDEL', jobKey, 'owner')
redis.call('ZADD', scheduleKey, dueAt, current[5])
appendProgress(progressKey, channel, current[5], retryingEvent)
redis.call('XACK', stream, group, entryId)
return { 'retrying', attempts }
