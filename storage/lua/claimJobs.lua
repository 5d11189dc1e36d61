--[[
  Claims a batch of stream entries for one consumer: compare-and-set `queued -> processing`
  with an owner token, or, for an entry this consumer took over with XAUTOCLAIM, moves an
  orphaned `processing` job to the new owner (the old one is fenced out). Entries whose job
  is terminal, missing, or re-queued under a newer entry are acknowledged and skipped.

  KEYS[1] job stream; then for each entry i: KEYS[2i] job record, KEYS[2i+1] progress log
  ARGV[1] consumer group   ARGV[2] now (epoch ms)   ARGV[3] progress channel
  ARGV[4] processing event JSON
  then for each entry i: ARGV[3+2i] entry id, ARGV[4+2i] owner token

  Returns one reply per entry: { 'claimed', fields... } with the job record as a flat
  field/value list, { 'taken-over', fields... }, or { 'skipped', reason }.
  Events: `processing` for each claimed (not taken-over) job.
]]
--- @include "appendProgress"

local group, now, channel, processingEvent = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local replies = {}
local count = (#KEYS - 1) / 2

for i = 1, count do
  local jobKey, progressKey = KEYS[2 * i], KEYS[2 * i + 1]
  local entryId, owner = ARGV[3 + 2 * i], ARGV[4 + 2 * i]
  local status = redis.call('HGET', jobKey, 'status')
  local reply
  if not status then
    reply = { 'skipped', 'missing' }
  elseif redis.call('HGET', jobKey, 'entry_id') ~= entryId then
    reply = { 'skipped', 'stale-entry' }
  elseif status == 'queued' then
    redis.call('HSET', jobKey, 'status', 'processing', 'owner', owner, 'updated_at', now, 'started_at', now)
    appendProgress(progressKey, channel, redis.call('HGET', jobKey, 'analysis_id'), processingEvent)
    reply = { 'claimed' }
  elseif status == 'processing' then
    redis.call('HSET', jobKey, 'owner', owner, 'updated_at', now)
    redis.call('HINCRBY', jobKey, 'takeovers', 1)
    reply = { 'taken-over' }
  else
    reply = { 'skipped', 'terminal' }
  end
  if reply[1] == 'skipped' then
    redis.call('XACK', KEYS[1], group, entryId)
  else
    local fields = redis.call('HGETALL', jobKey)
    for _, value in ipairs(fields) do reply[#reply + 1] = value end
  end
  replies[i] = reply
end
return replies
