--[[
  Appends a stage event to a job that is still running under the given owner, and publishes
  it. A worker that lost the job (reclaimed, cancelled, finished elsewhere) writes nothing.

  KEYS[1] job record   KEYS[2] job progress log
  ARGV[1] progress channel   ARGV[2] owner token   ARGV[3] event JSON

  Returns the event id, or false when the caller no longer owns a processing job.
  Events: the given stage event.
]]
--- @include "appendProgress"

local current = redis.call('HMGET', KEYS[1], 'status', 'owner', 'analysis_id')
if current[1] ~= 'processing' or current[2] ~= ARGV[2] then return false end
return appendProgress(KEYS[2], ARGV[1], current[3], ARGV[3])
