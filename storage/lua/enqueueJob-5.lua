--[[
  Queues one analysis: writes the job record, indexes it for its user, XADDs its id to the
  stream and records the `queued` progress event, atomically.

  KEYS[1] job stream            KEYS[2] job record (hash)
  KEYS[3] user's job index      KEYS[4] idempotency key (unused when ARGV[4] is 0)
  KEYS[5] job progress log

  ARGV[1] analysis id           ARGV[2] created_at (epoch ms)
  ARGV[3] progress channel      ARGV[4] idempotency TTL in seconds (0: no key)
  ARGV[5] queued event JSON     ARGV[6...] job record field/value pairs

  Returns { analysis_id, created } where created is 1, or 0 when the idempotency key
  already named an analysis (whose id is returned and nothing is written).
  Events: `queued` on the progress log and channel.
]]
--- @include "appendProgress"

local ttl = tonumber(ARGV[4])
if ttl > 0 then
  local existing = redis.call('GET', KEYS[4])
  if existing then return { existing, 0 } end
end

local analysisId = ARGV[1]
local record = {}
for i = 6, #ARGV do record[#record + 1] = ARGV[i] end
redis.call('HSET', KEYS[2], unpack(record))

local entryId = redis.call('XADD', KEYS[1], '*', 'analysis_id', analysisId)
redis.call('HSET', KEYS[2], 'entry_id', entryId)
redis.call('ZADD', KEYS[3], ARGV[2], analysisId)
if ttl > 0 then redis.call('SET', KEYS[4], analysisId, 'EX', ttl) end

appendProgress(KEYS[5], ARGV[3], analysisId, ARGV[5])
return { analysisId, 1 }
