--[[
  Moves retries that are due from the schedule back onto the job stream: for each candidate
  id, ZREM decides (so schedulers on several nodes racing never enqueue a job twice), then a
  job still `queued` gets a new stream entry and its `entry_id` points at it (the claim
  script skips entries whose entry_id differs). A job cancelled while it waited is dropped.

  KEYS[1] job stream   KEYS[2] retry schedule (zset); then KEYS[2+i] job record of candidate i
  ARGV[1] now (epoch ms); then ARGV[1+i] analysis id of candidate i

  Returns the ids of the jobs moved onto the stream.
]]
local stream, scheduleKey, now = KEYS[1], KEYS[2], tonumber(ARGV[1])
local moved = {}
for i = 1, #KEYS - 2 do
  local jobKey, analysisId = KEYS[2 + i], ARGV[1 + i]
  local due = redis.call('ZSCORE', scheduleKey, analysisId)
  if due and tonumber(due) <= now and redis.call('ZREM', scheduleKey, analysisId) == 1 then
    if redis.call('HGET', jobKey, 'status') == 'queued' then
      local entryId = redis.call('XADD', stream, '*', 'analysis_id', analysisId)
      redis.call('HSET', jobKey, 'entry_id', entryId, 'updated_at', ARGV[1])
      redis.call('HDEL', jobKey, 'retry_at')
      moved[#moved + 1] = analysisId
    end
  end
end
return moved
