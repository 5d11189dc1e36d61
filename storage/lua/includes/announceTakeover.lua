-- announceTakeover(job, analysisId, consumer, context)
-- Logs and publishes the `reclaimed` event of a processing job whose entry this consumer took
-- over: which worker held it (the consumer named in its owner token, `{consumer}:{uuid}`) and
-- for how long since that owner last wrote the record. Call it before the owner is replaced.
-- job = { key, progressKey }; context = { channel, now, logMax }.
--- @include "appendProgress"
local function announceTakeover(job, analysisId, consumer, context)
  local previous = redis.call('HMGET', job.key, 'owner', 'updated_at')
  local fromConsumer = string.match(previous[1] or '', '^(.*):[^:]*$') or 'unknown'
  local fromWorker = string.match(fromConsumer, '^(.*)-c%d+$') or fromConsumer
  local now = tonumber(context.now)
  local heldMs = math.max(0, now - (tonumber(previous[2]) or now))
  local data = cjson.encode({ from_worker = fromWorker, from_consumer = fromConsumer, to_consumer = consumer, held_ms = heldMs })
  local message = 'reclaimed from worker ' .. fromWorker .. ' after ' .. heldMs .. ' ms'
  appendProgress(job.progressKey, context.channel, context.logMax, analysisId, progressEvent('processing', 'reclaimed', 0.05, message, now, data))
end
