--[[
  Finishes a batch of jobs: for each, checks the owner token, writes the terminal status and
  result fields, appends the final progress event and XACKs the entry, atomically. A worker
  that lost ownership (its entry was reclaimed) cannot finish the job; a terminal job never
  changes again. A job whose user asked to cancel it (`cancel_requested`) ends `cancelled`,
  whatever the worker reports: a cancelled job never completes.

  KEYS[1] job stream; then for each job i: KEYS[2i] job record, KEYS[2i+1] progress log
  ARGV[1] consumer group   ARGV[2] now (epoch ms)   ARGV[3] progress channel
  ARGV[4] progress log TTL in seconds, set once the job is terminal
  then for each job, in order: entry id, owner token, terminal status, final event JSON,
  the number N of result fields, then N field/value pairs (2N values)

  Returns one integer per job: 1 finished as asked, 2 finished `cancelled` instead (a cancel
  request won), 0 not the owner (or no longer processing).
  Events: the final event (`completed`, `failed` or `cancelled`) of each finished job.
]]
--- @include "appendProgress"
--- @include "terminalEvent"
--- @include "cancelRunning"

local group, now, channel, progressTtl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local results = {}
local cursor = 5

for i = 1, (#KEYS - 1) / 2 do
  local jobKey, progressKey = KEYS[2 * i], KEYS[2 * i + 1]
  local entryId, owner, status, eventJson = ARGV[cursor], ARGV[cursor + 1], ARGV[cursor + 2], ARGV[cursor + 3]
  local fieldCount = tonumber(ARGV[cursor + 4])
  local fields = {}
  for f = 1, fieldCount * 2 do fields[f] = ARGV[cursor + 4 + f] end
  cursor = cursor + 5 + fieldCount * 2

  local current = redis.call('HMGET', jobKey, 'status', 'owner', 'cancel_requested')
  if current[1] == 'processing' and current[2] == owner and current[3] == '1' and status ~= 'cancelled' then
    cancelRunning(KEYS[1], group, entryId, jobKey, progressKey, channel, now, progressTtl)
    results[i] = 2
  elseif current[1] == 'processing' and current[2] == owner then
    redis.call('HSET', jobKey, 'status', status, 'updated_at', now, 'finished_at', now)
    if fieldCount > 0 then redis.call('HSET', jobKey, unpack(fields)) end
    redis.call('HDEL', jobKey, 'owner')
    appendProgress(progressKey, channel, redis.call('HGET', jobKey, 'analysis_id'), eventJson)
    redis.call('EXPIRE', progressKey, progressTtl)
    redis.call('XACK', KEYS[1], group, entryId)
    results[i] = 1
  else
    results[i] = 0
  end
end
return results
