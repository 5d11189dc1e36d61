--[[
  Appends stage events, each to a job that is still running under the given owner, and
  publishes them, in the order given. A worker that lost a job (reclaimed, cancelled, finished
  elsewhere) writes nothing for it. One call carries the events a worker's jobs emitted in one
  turn of its event loop (storage/stageEventWriter.ts).

  KEYS  (per event) job, progress
  ARGV  channel, progressLogMax; per event: owner (token), event (its JSON)

  Returns per event its id, or false when the caller no longer owns a processing job.
  Events: the given stage events.
]]
--- @include "appendProgress"
--- @include "runLedger"

local ids = {}
for i, item in ipairs(ITEMS) do
  local current = redis.call('HMGET', item.job, 'status', 'owner', 'analysis_id')
  if current[1] ~= 'processing' or current[2] ~= item.owner then
    closeRun(item.job, item.owner)
    ids[i] = false
  else
    ids[i] = appendProgress(item.progress, A.channel, A.progressLogMax, current[3], item.event)
  end
end
return ids
