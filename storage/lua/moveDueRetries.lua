--[[
  Moves retries that are due from the schedule back onto the job stream: for each candidate
  id, ZREM decides (so schedulers on several nodes racing never enqueue a job twice), then a
  job still `queued` gets a new stream entry and its `entry_id` points at it (the claim
  script skips entries whose entry_id differs). A job cancelled while it waited is dropped.

  KEYS  stream, schedule (zset)
  ARGV  now (epoch ms)
  per candidate: KEYS job; ARGV analysisId

  Returns the ids of the jobs moved onto the stream.
]]
local now = tonumber(A.now)
local moved = {}
for _, item in ipairs(ITEMS) do
  local analysisId = item.args.analysisId
  local due = redis.call('ZSCORE', K.schedule, analysisId)
  if due and tonumber(due) <= now and redis.call('ZREM', K.schedule, analysisId) == 1 then
    if redis.call('HGET', item.keys.job, 'status') == 'queued' then
      local entryId = redis.call('XADD', K.stream, '*', 'analysis_id', analysisId)
      redis.call('HSET', item.keys.job, 'entry_id', entryId, 'updated_at', A.now)
      redis.call('HDEL', item.keys.job, 'retry_at')
      moved[#moved + 1] = analysisId
    end
  end
end
return moved
