--[[
  Replays one dead-lettered job: fresh attempts (0), its history kept, status back to
  `queued` with a new stream entry, back on its user's active set (a replay counts against
  the user's cap like a new job), and its dead letter removed with its index entry. Only a
  job that is still `failed` is replayed (an admin action: the one way a terminal state
  changes). Its `queued` event opens a new attempt in the progress log, so a follower that
  starts without a position sees this attempt, not the old terminal event.

  KEYS  stream, job, deadLetters (stream), deadLetterIndex (hash), progress, userActive (zset)
  ARGV  letterId (dead-letter entry id), now (epoch ms), channel (progress), progressLogMax,
        maxActive, event (the `queued` event's JSON)

  Returns { 'replayed', entryId }; { 'not-failed' } when the job is missing or not `failed`
  (its dead letter is removed all the same: there is nothing left to replay); { 'at-cap',
  active, ids... } when its user is at the cap (nothing is written; the caller may prune the
  ids that have ended, pruneActiveJobs.lua, and try again).
  Events: `queued`, marked as the start of an attempt.
]]
--- @include "appendProgress"

local current = redis.call('HMGET', K.job, 'status', 'analysis_id')
if current[1] == 'failed' then
  local active = redis.call('ZCARD', K.userActive)
  if active >= tonumber(A.maxActive) then
    local reply = { 'at-cap', active }
    for _, id in ipairs(redis.call('ZRANGE', K.userActive, 0, -1)) do reply[#reply + 1] = id end
    return reply
  end
end

redis.call('XDEL', K.deadLetters, A.letterId)
if current[2] and redis.call('HGET', K.deadLetterIndex, current[2]) == A.letterId then redis.call('HDEL', K.deadLetterIndex, current[2]) end
if current[1] ~= 'failed' then return { 'not-failed' } end

local entryId = redis.call('XADD', K.stream, '*', 'analysis_id', current[2])
redis.call('HSET', K.job, 'status', 'queued', 'attempts', 0, 'entry_id', entryId, 'updated_at', A.now, 'replayed_at', A.now)
redis.call('HDEL', K.job, 'error', 'finished_at', 'owner', 'cancel_requested', 'retry_at')
redis.call('HDEL', K.job, 'run_owner', 'doubted_runs')
redis.call('ZADD', K.userActive, A.now, current[2])
redis.call('PERSIST', K.progress)
redis.call('PERSIST', K.job) -- live again: its retention starts over when it ends
appendProgress(K.progress, A.channel, A.progressLogMax, current[2], A.event, true)
return { 'replayed', entryId }
