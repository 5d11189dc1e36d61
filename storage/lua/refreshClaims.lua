--[[
  Keeps the claims of long-running jobs fresh: for each job still owned by this token, resets
  its entry's idle time with XCLAIM JUSTID (which does not count a delivery), so the
  reclaimer leaves live jobs alone. A job whose owner changed is reported, not refreshed:
  its entry now belongs to another consumer.

  KEYS  stream
  ARGV  group, consumer
  per job: KEYS job; ARGV entryId, owner (token)

  Returns one integer per job: 1 refreshed, 2 refreshed but its user asked to cancel it
  (`cancel_requested`: a backstop for a cancel message that arrived before the job actor
  existed), 0 ownership lost.
]]
--- @include "runLedger"

local results = {}
for i, item in ipairs(ITEMS) do
  local current = redis.call('HMGET', item.keys.job, 'owner', 'cancel_requested')
  if current[1] == item.args.owner then
    redis.call('XCLAIM', K.stream, A.group, A.consumer, 0, item.args.entryId, 'JUSTID')
    results[i] = current[2] == '1' and 2 or 1
  else
    closeRun(item.keys.job, item.args.owner)
    results[i] = 0
  end
end
return results
