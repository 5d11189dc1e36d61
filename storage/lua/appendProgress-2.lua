--[[
  Appends a stage event to a job that is still running under the given owner, and publishes
  it. A worker that lost the job (reclaimed, cancelled, finished elsewhere) writes nothing.

  KEYS  job, progress
  ARGV  channel, owner (token), progressLogMax; lists: event (its fields)

  Returns the event id, or false when the caller no longer owns a processing job.
  Events: the given stage event.
]]
--- @include "appendProgress"
--- @include "runLedger"

local current = redis.call('HMGET', K.job, 'status', 'owner', 'analysis_id')
if current[1] ~= 'processing' or current[2] ~= A.owner then
  closeRun(K.job, A.owner)
  return false
end
return appendProgress(K.progress, A.channel, A.progressLogMax, current[3], progressEvent(unpack(A.event)))
