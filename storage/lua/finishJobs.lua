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
  per job: KEYS job, progress; ARGV entryId, owner (token), status (terminal), event (the
        final event's JSON); lists: fields (result field/value pairs)

  Returns one integer per job: 1 finished as asked, 2 finished `cancelled` instead (a cancel
  request won), 0 not the owner (or no longer processing).
  The finished entries are acknowledged by one XACK, and their jobs put on the retention
  schedule by one ZADD, after the loop (one atomic script: no one sees the order). Then admits
  waiting jobs into the room the batch's reads left (the `admission` include).
  Events: the final event (`completed`, `failed` or `cancelled`) of each finished job.
]]
--- @include "appendProgress"
--- @include "cancelRunning"
--- @include "runLedger"
--- @include "archiveOutbox"
--- @include "retainFinishedRead"
--- @include "admission"

-- progressTtl as text, only ever sent to EXPIRE (a number would be made text again per job);
-- ttl and now as numbers once, not parsed again for every job.
local context = { stream = K.stream, group = A.group, channel = A.channel, now = A.now, logMax = A.progressLogMax, progressTtl = A.progressTtl }
context.retention = { ttl = tonumber(A.resultTtl), now = tonumber(A.now), archive = A.archiving, archiveKey = K.archive, scheduleKey = K.retention }
local results = {}
-- Gathered for one XACK and one ZADD after the loop, not a command call per job.
local acknowledged, due = {}, {}

for i, item in ipairs(ITEMS) do
  local jobKey, entryId, owner, status = item.job, item.entryId, item.owner, item.status
  -- One read for the checks, the run ledger (run_owner), the event and retention (the ids).
  local current = redis.call('HMGET', jobKey, 'status', 'owner', 'cancel_requested', 'run_owner', 'analysis_id', 'user_id', 'idempotency_key')
  -- The run ledger: this owner's run ends here, whatever the branch (closeRun).
  local runIsOwners = current[4] == owner
  if not runIsOwners then closeRun(jobKey, owner) end
  local owned = current[1] == 'processing' and current[2] == owner
  if owned and current[3] == '1' and status ~= 'cancelled' then
    if runIsOwners then redis.call('HDEL', jobKey, 'run_owner') end
    cancelRunning({ key = jobKey, progressKey = item.progress }, entryId, context)
    results[i] = 2
  elseif owned then
    -- The error of an earlier failed attempt does not outlive a success; a failure writes its own.
    if runIsOwners then
      redis.call('HDEL', jobKey, 'owner', 'error', 'run_owner')
    else
      redis.call('HDEL', jobKey, 'owner', 'error')
    end
    redis.call('HSET', jobKey, 'status', status, 'updated_at', A.now, 'finished_at', A.now, unpack(item.fields))
    appendProgress(item.progress, A.channel, A.progressLogMax, current[5], item.event)
    acknowledged[#acknowledged + 1] = entryId
    retainFinishedRead(jobKey, item.progress, context.retention, context.progressTtl, current[5], current[6], current[7], due)
    results[i] = 1
  else
    if runIsOwners then redis.call('HDEL', jobKey, 'run_owner') end
    results[i] = 0
  end
end
if #acknowledged > 0 then redis.call('XACK', K.stream, A.group, unpack(acknowledged)) end
if #due > 0 then redis.call('ZADD', K.retention, unpack(due)) end
-- Fair admission: consumers read entries before they finish them, so there may be room now.
admitWaiting(admission({ stream = K.stream, group = A.group, queue = K.admissionQueue, waiting = K.admissionWaiting, tags = K.admissionTags, weights = K.admissionWeights, limit = A.admissionLimit }))
return results
