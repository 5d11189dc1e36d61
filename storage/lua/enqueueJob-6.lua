--[[
  Queues one analysis: writes the job record, indexes it for its user, counts it against the
  user's cap of active (queued + processing) jobs, XADDs its id to the stream and records the
  `queued` progress event, atomically.

  KEYS[1] job stream            KEYS[2] job record (hash)
  KEYS[3] user's job index      KEYS[4] idempotency key (unused when ARGV[4] is 0)
  KEYS[5] job progress log      KEYS[6] user's active jobs (zset)

  ARGV[1] analysis id           ARGV[2] created_at (epoch ms)
  ARGV[3] (unused)              ARGV[4] idempotency TTL in seconds (0: no key)
  ARGV[5] queued event JSON     ARGV[6] cap on the user's active jobs
  ARGV[7] job record key prefix (the job key of an id is prefix .. id)
  ARGV[8...] job record field/value pairs

  Returns { analysis_id, 1 } when queued; { existing_id, 0 } when the idempotency key already
  named an analysis (nothing is written); { '', -1, active } when the user is at the cap.
  Events: `queued` on the progress log (not on the channel: the id is new, so no one listens yet).

  The active set is pruned here, lazily, of jobs that reached a terminal state by any path
  (finish, cancel, dead letter), so no terminal transition has to maintain it. The records
  read while pruning share the stream's hash tag, so they sit in this script's cluster slot.
]]

local ttl = tonumber(ARGV[4])
if ttl > 0 then
  local existing = redis.call('GET', KEYS[4])
  if existing then return { existing, 0 } end
end

local cap = tonumber(ARGV[6])
local active = redis.call('ZCARD', KEYS[6])
if active >= cap then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
    local status = redis.call('HGET', ARGV[7] .. id, 'status')
    if status ~= 'queued' and status ~= 'processing' then redis.call('ZREM', KEYS[6], id) end
  end
  active = redis.call('ZCARD', KEYS[6])
  if active >= cap then return { '', -1, active } end
end

local analysisId = ARGV[1]
local entryId = redis.call('XADD', KEYS[1], '*', 'analysis_id', analysisId)
local record = { 'entry_id', entryId }
for i = 8, #ARGV do record[#record + 1] = ARGV[i] end
redis.call('HSET', KEYS[2], unpack(record))
redis.call('ZADD', KEYS[3], ARGV[2], analysisId)
redis.call('ZADD', KEYS[6], ARGV[2], analysisId)
if ttl > 0 then redis.call('SET', KEYS[4], analysisId, 'EX', ttl) end

-- Logged, not published: nobody can be subscribed to an id this script has just made up.
redis.call('XADD', KEYS[5], 'MAXLEN', '~', 500, '*', 'event', ARGV[5])
return { analysisId, 1 }
