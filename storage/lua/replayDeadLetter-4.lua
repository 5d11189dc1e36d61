--[[
  Replays one dead-lettered job: fresh attempts (0), its history kept, status back to
  `queued` with a new stream entry, and its dead-letter entry removed. Only a job that is
  still `failed` is replayed (an admin action: the one way a terminal state changes).

  KEYS  stream, job, deadLetters (stream), progress
  ARGV  letterId (dead-letter entry id), now (epoch ms), channel (progress), progressLogMax;
        lists: event (the `queued` event's fields)

  Returns the new stream entry id, or false when the job is missing or not `failed` (its
  dead-letter entry is removed all the same: there is nothing left to replay).
  Events: `queued`.
]]
--- @include "appendProgress"

redis.call('XDEL', K.deadLetters, A.letterId)
local current = redis.call('HMGET', K.job, 'status', 'analysis_id')
if current[1] ~= 'failed' then return false end

local entryId = redis.call('XADD', K.stream, '*', 'analysis_id', current[2])
redis.call('HSET', K.job, 'status', 'queued', 'attempts', 0, 'entry_id', entryId, 'updated_at', A.now, 'replayed_at', A.now)
redis.call('HDEL', K.job, 'error', 'finished_at', 'owner', 'cancel_requested', 'retry_at')
redis.call('PERSIST', K.progress)
appendProgress(K.progress, A.channel, A.progressLogMax, current[2], progressEvent(unpack(A.event)))
return entryId
