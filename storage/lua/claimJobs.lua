--[[
  Claims a batch of stream entries for one consumer: compare-and-set `queued -> processing`
  with an owner token, or, for an entry this consumer took over with XAUTOCLAIM, moves an
  orphaned `processing` job to the new owner (the old one is fenced out). Before that:
  an entry no longer pending for this consumer (acknowledged, or taken over by another
  consumer since it was read) is skipped; a job whose runs crashed their worker as often as
  the delivery limit (the `runLedger` include) is a poison message and is dead-lettered
  instead of run again; a job
  whose user asked to cancel it (`cancel_requested`) ends `cancelled` instead of running.
  Entries whose job is terminal, missing, or re-queued under a newer entry are acknowledged
  and skipped.

  KEYS  stream, deadLetters (stream), deadLetterIndex (hash), archive (outbox stream),
        retention (schedule zset)
  ARGV  group, now (epoch ms), channel (progress), maxDeliveries, consumer ('' skips the
        check that the entry is pending for it), progressTtl (s, set once a job is terminal),
        progressLogMax, deadLetterMax, resultTtl (s; 0 keeps finished jobs), archiving ('1'
        or '0'), startedEvent (the `processing` event's JSON); lists: claimedFields (the
        record fields a claimed job's reply carries, in their order)
  per entry: KEYS job, progress; ARGV entryId, owner (token), fresh ('1' when the entry was
        just read with '>' by this consumer, so no pending lookup is needed)

  Returns one reply per entry: { 'claimed', values } with the values of claimedFields as one
  JSON array (false for a field the record lacks), { 'taken-over', values }, or { 'skipped', reason } with reason one of
  missing, stale-entry, terminal, not-pending, cancelled, dead-lettered.
  Events: `processing` for each claimed job, `reclaimed` for each taken-over one; `cancelled` or `failed` for
  jobs ended here.
]]
--- @include "appendProgress"
--- @include "recordAttempt"
--- @include "deadLetter"
--- @include "cancelRunning"
--- @include "runLedger"
--- @include "announceTakeover"

local context = {
  stream = K.stream, group = A.group, channel = A.channel, now = A.now, logMax = A.progressLogMax,
  progressTtl = tonumber(A.progressTtl), deadLetters = K.deadLetters, deadLetterIndex = K.deadLetterIndex,
  deadLetterMax = A.deadLetterMax,
}
context.retention = { ttl = A.resultTtl, now = A.now, archive = A.archiving, archiveKey = K.archive, scheduleKey = K.retention }
local maxDeliveries, consumer = tonumber(A.maxDeliveries), A.consumer
local startedEvent = A.startedEvent
local replies = {}

-- The claimed fields are read with the checks' four, in one HMGET per entry (status and
-- analysis_id, which the checks use too, once: each name read is a search of the record's
-- listpack); a claim's own writes to two of them (status, updated_at) are put into the reply
-- in their places.
local claimedFields = { unpack(A.claimedFields) }
local statusAt, updatedAt, analysisIdAt
for index, name in ipairs(claimedFields) do
  if name == 'status' then statusAt = index elseif name == 'updated_at' then updatedAt = index elseif name == 'analysis_id' then analysisIdAt = index end
end
if not (statusAt and updatedAt and analysisIdAt) then
  return redis.error_reply('claimedFields must name status, updated_at and analysis_id')
end

for i, item in ipairs(ITEMS) do
  local jobKey, entryId, owner, fresh = item.job, item.entryId, item.owner, item.fresh == '1'
  -- One read for the checks, the run ledger (run_owner, doubted_runs) and the reply (from 5 on).
  local current = redis.call('HMGET', jobKey, 'entry_id', 'cancel_requested', 'run_owner', 'doubted_runs', unpack(claimedFields))
  local status, analysisId = current[4 + statusAt], current[4 + analysisIdAt]
  -- An entry this consumer has just read with '>' is pending for it, delivered once: only
  -- entries from a backlog or a takeover need their pending record looked up.
  local pending = fresh and true or redis.call('XPENDING', K.stream, A.group, entryId, entryId, 1)[1]
  -- touched: this claim wrote updated_at (and, claiming a queued job, status).
  local reply, touched
  if not pending or (not fresh and consumer ~= '' and pending[2] ~= consumer) then
    reply = { 'skipped', 'not-pending' }
  elseif not status then
    reply = { 'skipped', 'missing' }
  -- (A job admitted from the admission queue has no entry_id: its one entry is this one.)
  elseif current[1] and current[1] ~= entryId then
    reply = { 'skipped', 'stale-entry' }
  elseif status ~= 'queued' and status ~= 'processing' then
    reply = { 'skipped', 'terminal' }
  elseif current[2] == '1' then
    cancelRunning({ key = jobKey, progressKey = item.progress }, entryId, context)
    reply = { 'skipped', 'cancelled' }
  -- The run this very token opened: the claim is run again (re-sent after its reply was lost,
  -- or retried with its tokens), so it is this claim's live run, not one to put in doubt.
  elseif current[3] == owner then
    reply = { 'claimed' }
  else
    local crashed = crashedRuns(jobKey, consumer, current[3], current[4])
    if crashed >= maxDeliveries then
      local reason = 'poison message: its worker died while running it ' .. crashed .. ' times, the limit of runs is ' .. maxDeliveries .. ' (ANALYSIS_MAX_DELIVERIES)'
      recordAttempt(jobKey, A.now, reason, consumer)
      deadLetter({ key = jobKey, progressKey = item.progress }, entryId, reason, context)
      reply = { 'skipped', 'dead-lettered' }
    elseif status == 'queued' then
      -- run_owner opens the run of this claim (openRun in the runLedger include), in the same write.
      redis.call('HSET', jobKey, 'status', 'processing', 'owner', owner, 'updated_at', A.now, 'started_at', A.now, 'run_owner', owner)
      appendProgress(item.progress, A.channel, A.progressLogMax, analysisId, startedEvent)
      reply, touched = { 'claimed' }, true
    else
      announceTakeover({ key = jobKey, progressKey = item.progress }, analysisId, consumer, context)
      redis.call('HSET', jobKey, 'owner', owner, 'updated_at', A.now)
      redis.call('HINCRBY', jobKey, 'takeovers', 1)
      openRun(jobKey, owner)
      reply, touched = { 'taken-over' }, true
    end
  end
  if reply[1] == 'skipped' then
    if reply[2] ~= 'not-pending' then redis.call('XACK', K.stream, A.group, entryId) end
  else
    -- The claimed fields' values, as the claim left them, without their names (HGETALL's
    -- names and the owner and ledger fields the worker never reads were most of a claim's
    -- reply), in one JSON array: one reply item per job, not one per field, is what the
    -- worker's client decodes; cjson costs Redis about what the items did.
    local values = { unpack(current, 5) }
    if touched then
      values[statusAt] = 'processing'
      values[updatedAt] = A.now
    end
    reply = { reply[1], cjson.encode(values) }
  end
  replies[i] = reply
end
return replies
