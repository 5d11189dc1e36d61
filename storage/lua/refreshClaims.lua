--[[
  Keeps the claims of long-running jobs fresh: for each job still owned by this token, resets
  its entry's idle time with XCLAIM JUSTID (which does not count a delivery), so the
  reclaimer leaves live jobs alone. A job whose owner changed is reported, not refreshed:
  its entry now belongs to another consumer.

  KEYS[1] job stream; then KEYS[1+i] job record of job i
  ARGV[1] consumer group   ARGV[2] consumer name
  then for each job i: ARGV[1+2i] entry id, ARGV[2+2i] owner token

  Returns one integer per job: 1 refreshed, 2 refreshed but its user asked to cancel it
  (`cancel_requested`: a backstop for a cancel message that arrived before the job actor
  existed), 0 ownership lost.
]]
local results = {}
for i = 1, #KEYS - 1 do
  local entryId, owner = ARGV[1 + 2 * i], ARGV[2 + 2 * i]
  local current = redis.call('HMGET', KEYS[1 + i], 'owner', 'cancel_requested')
  if current[1] == owner then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, entryId, 'JUSTID')
    results[i] = current[2] == '1' and 2 or 1
  else
    results[i] = 0
  end
end
return results
