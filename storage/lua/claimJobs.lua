--[[
  Claims a batch of stream entries for one consumer: compare-and-set `queued -> processing`
  with an owner token, or, for an entry this consumer took over with XAUTOCLAIM, moves an
  orphaned `processing` job to the new owner (the old one is fenced out). Before that:
  an entry no longer pending for this consumer (acknowledged, or taken over by another
  consumer since it was read) is skipped; an entry delivered more than the delivery limit
  (XPENDING, extended form) is a poison message and is dead-lettered instead of run; a job
  whose user asked to cancel it (`cancel_requested`) ends `cancelled` instead of running.
  Entries whose job is terminal, missing, or re-queued under a newer entry are acknowledged
  and skipped.

  KEYS[1] job stream   KEYS[2] dead-letter stream
  then for each entry i: KEYS[1+2i] job record, KEYS[2+2i] progress log
  ARGV[1] consumer group   ARGV[2] now (epoch ms)   ARGV[3] progress channel
  ARGV[4] processing event JSON   ARGV[5] max deliveries
  ARGV[6] consumer name ('' skips the check that the entry is pending for it)
  ARGV[7] progress log TTL (s), set once a job is terminal
  then for each entry i: ARGV[5+3i] entry id, ARGV[6+3i] owner token, ARGV[7+3i] '1' when the
  entry was just read with '>' by this consumer (no pending lookup needed), else '0'

  Returns one reply per entry: { 'claimed', fields... } with the job record as a flat
  field/value list, { 'taken-over', fields... }, or { 'skipped', reason } with reason one of
  missing, stale-entry, terminal, not-pending, cancelled, dead-lettered.
  Events: `processing` for each claimed (not taken-over) job; `cancelled` or `failed` for
  jobs ended here.
]]
--- @include "appendProgress"
--- @include "terminalEvent"
--- @include "recordAttempt"
--- @include "deadLetter"
--- @include "cancelRunning"

local stream, deadLettersKey = KEYS[1], KEYS[2]
local group, now, channel, processingEvent = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local maxDeliveries, consumer, progressTtl = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
local replies = {}
local count = (#KEYS - 2) / 2

for i = 1, count do
  local jobKey, progressKey = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  local entryId, owner, fresh = ARGV[5 + 3 * i], ARGV[6 + 3 * i], ARGV[7 + 3 * i] == '1'
  local job = redis.call('HMGET', jobKey, 'status', 'entry_id', 'cancel_requested', 'analysis_id')
  local status = job[1]
  -- An entry this consumer has just read with '>' is pending for it, delivered once: only
  -- entries from a backlog or a takeover need their pending record looked up.
  local pending = fresh and { entryId, consumer, 0, 1 } or redis.call('XPENDING', stream, group, entryId, entryId, 1)[1]
  local reply
  if not pending or (consumer ~= '' and pending[2] ~= consumer) then
    reply = { 'skipped', 'not-pending' }
  elseif not status then
    reply = { 'skipped', 'missing' }
  elseif job[2] ~= entryId then
    reply = { 'skipped', 'stale-entry' }
  elseif status ~= 'queued' and status ~= 'processing' then
    reply = { 'skipped', 'terminal' }
  elseif job[3] == '1' then
    cancelRunning(stream, group, entryId, jobKey, progressKey, channel, now, progressTtl)
    reply = { 'skipped', 'cancelled' }
  elseif tonumber(pending[4]) > maxDeliveries then
    local reason = 'poison message: delivered ' .. pending[4] .. ' times, more than the limit of ' .. maxDeliveries .. ' (ANALYSIS_MAX_DELIVERIES)'
    recordAttempt(jobKey, now, reason, consumer)
    deadLetter(stream, group, entryId, jobKey, progressKey, deadLettersKey, channel, now, reason, progressTtl)
    reply = { 'skipped', 'dead-lettered' }
  elseif status == 'queued' then
    redis.call('HSET', jobKey, 'status', 'processing', 'owner', owner, 'updated_at', now, 'started_at', now)
    appendProgress(progressKey, channel, job[4], processingEvent)
    reply = { 'claimed' }
  else
    redis.call('HSET', jobKey, 'owner', owner, 'updated_at', now)
    redis.call('HINCRBY', jobKey, 'takeovers', 1)
    reply = { 'taken-over' }
  end
  if reply[1] == 'skipped' then
    if reply[2] ~= 'not-pending' then redis.call('XACK', stream, group, entryId) end
  else
    local fields = redis.call('HGETALL', jobKey)
    for _, value in ipairs(fields) do reply[#reply + 1] = value end
  end
  replies[i] = reply
end
return replies
