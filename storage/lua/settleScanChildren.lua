--[[
  Counts children of a scan that have reached a terminal status, each exactly once however
  many observers report it (the worker after a finish, an API node reading the scan), and
  moves the scan along: `queued` → `processing` when a child runs or ends, and to its own
  terminal status once every child is terminal — `cancelled` if the user cancelled it,
  `failed` if no child completed, else `completed`. A terminal scan frees its slot on the
  user's active-job cap and its log expires like a job's.

  KEYS  scan (hash), settled (set), progress (the scan's event log), userActive (zset)
  ARGV  channel (progress), now (epoch ms), progressLogMax, progressTtl (s)
  per child: KEYS job; ARGV analysisId

  Returns { status, done, total } of the scan after this call; { 'missing', 0, 0 } when
  there is no such scan.
  Events: per newly counted child, one event on the scan's log and the progress channel
  (`analysis_id` = the scan id, stage `finished`, progress done/total, data: the child's
  id, symbol, interval and status); the last one carries the scan's terminal status.
]]
--- @include "appendProgress"

local scan = redis.call('HMGET', K.scan, 'status', 'total', 'cancel_requested', 'scan_id')
local status, total, scanId = scan[1], tonumber(scan[2]), scan[4]
if not status then return { 'missing', 0, 0 } end

local terminal = { completed = true, failed = true, cancelled = true }
local done = tonumber(redis.call('HGET', K.scan, 'done') or '0')
if terminal[status] then return { status, done, total } end

local function scanStatusAfter(count)
  if count < total then return 'processing' end
  if scan[3] == '1' then return 'cancelled' end
  if tonumber(redis.call('HGET', K.scan, 'completed') or '0') == 0 then return 'failed' end
  return 'completed'
end

local running = false
for _, item in ipairs(ITEMS) do
  local child = redis.call('HMGET', item.keys.job, 'status', 'symbol', 'interval')
  local childStatus = child[1]
  if childStatus == 'processing' then running = true end
  if childStatus and terminal[childStatus] and redis.call('SADD', K.settled, item.args.analysisId) == 1 then
    done = redis.call('HINCRBY', K.scan, 'done', 1)
    redis.call('HINCRBY', K.scan, childStatus, 1)
    local after = scanStatusAfter(done)
    local data = cjson.encode({ analysis_id = item.args.analysisId, symbol = child[2], interval = child[3], status = childStatus })
    local message = child[2] .. ' ' .. child[3] .. ' ' .. childStatus
    appendProgress(K.progress, A.channel, A.progressLogMax, scanId, progressEvent(after, 'finished', done / total, message, A.now, data))
  end
end

local after = scanStatusAfter(done)
if after == 'processing' and status == 'queued' and not running and done == 0 then after = 'queued' end
if after ~= status then
  redis.call('HSET', K.scan, 'status', after, 'updated_at', A.now)
  if terminal[after] then
    redis.call('HSET', K.scan, 'finished_at', A.now)
    redis.call('ZREM', K.userActive, scanId)
    redis.call('EXPIRE', K.progress, tonumber(A.progressTtl))
  end
end
return { after, done, total }
