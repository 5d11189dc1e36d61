--[[
  Replays one dead-lettered job: fresh attempts (0), its history kept, status back to
  `queued` with a new stream entry, and its dead-letter entry removed. Only a job that is
  still `failed` is replayed (an admin action: the one way a terminal state changes).

  KEYS[1] job stream   KEYS[2] job record   KEYS[3] dead-letter stream   KEYS[4] progress log
  ARGV[1] dead-letter entry id   ARGV[2] now (epoch ms)   ARGV[3] progress channel
  ARGV[4] queued event JSON

  Returns the new stream entry id, or false when the job is missing or not `failed` (its
  dead-letter entry is removed all the same: there is nothing left to replay).
  Events: `queued`.
]]
--- @include "appendProgress"

local stream, jobKey, deadLettersKey, progressKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
redis.call('XDEL', deadLettersKey, ARGV[1])
local current = redis.call('HMGET', jobKey, 'status', 'analysis_id')
if current[1] ~= 'failed' then return false end

local entryId = redis.call('XADD', stream, '*', 'analysis_id', current[2])
redis.call('HSET', jobKey, 'status', 'queued', 'attempts', 0, 'entry_id', entryId, 'updated_at', ARGV[2], 'replayed_at', ARGV[2])
redis.call('HDEL', jobKey, 'error', 'finished_at', 'owner', 'cancel_requested', 'retry_at')
redis.call('PERSIST', progressKey)
appendProgress(progressKey, ARGV[3], current[2], ARGV[4])
return entryId
