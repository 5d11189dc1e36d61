--[[
  Cancels one job on behalf of its user. A queued job becomes `cancelled` at once, with its
  terminal progress event, and never runs (the claim script skips and acknowledges terminal
  jobs). A processing job is handed to whichever worker owns it: `cancel_requested` is set
  on the record and the request is published on the cancel channel.

  KEYS[1] job record   KEYS[2] job progress log   KEYS[3] user's active jobs (zset)
  ARGV[1] user id      ARGV[2] now (epoch ms)     ARGV[3] progress channel
  ARGV[4] cancel channel   ARGV[5] cancelled event JSON   ARGV[6] progress log TTL (s)

  Returns { outcome, status } with outcome one of
    'cancelled'  (was queued; status is now cancelled)
    'requested'  (processing; the owner was asked to stop)
    'terminal'   (already completed, failed or cancelled; nothing written)
    'missing'    (no such job for this user; nothing written)
  Events: `cancelled` (queued jobs); a cancel request `{"analysis_id": ...}` (processing jobs).
]]
--- @include "appendProgress"

local current = redis.call('HMGET', KEYS[1], 'status', 'user_id', 'analysis_id')
local status, owner, analysisId = current[1], current[2], current[3]
if not status or owner ~= ARGV[1] then return { 'missing', '' } end

if status == 'queued' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'updated_at', ARGV[2], 'finished_at', ARGV[2], 'error', 'cancelled by the user')
  appendProgress(KEYS[2], ARGV[3], analysisId, ARGV[5])
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
  redis.call('ZREM', KEYS[3], analysisId)
  return { 'cancelled', 'cancelled' }
end

if status == 'processing' then
  redis.call('HSET', KEYS[1], 'cancel_requested', 1)
  redis.call('PUBLISH', ARGV[4], '{"analysis_id":"' .. analysisId .. '"}')
  return { 'requested', 'processing' }
end

return { 'terminal', status }
