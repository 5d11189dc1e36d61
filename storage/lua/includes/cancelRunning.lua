-- cancelRunning(job, entryId, context)
-- Ends a job whose user asked to cancel it (`cancel_requested`): status `cancelled`, the
-- final event, and its entry acknowledged. job = { key, progressKey }; context = { stream,
-- group, channel, now, logMax, progressTtl, retention }.
--- @include "appendProgress"
--- @include "terminalEvent"
--- @include "archiveOutbox"
local function cancelRunning(job, entryId, context)
  redis.call('HSET', job.key, 'status', 'cancelled', 'error', 'cancelled by the user', 'updated_at', context.now, 'finished_at', context.now)
  redis.call('HDEL', job.key, 'owner')
  appendProgress(job.progressKey, context.channel, context.logMax, redis.call('HGET', job.key, 'analysis_id'), terminalEvent('cancelled', 'cancelled by the user', context.now))
  redis.call('EXPIRE', job.progressKey, context.progressTtl)
  redis.call('XACK', context.stream, context.group, entryId)
  retainFinished(job, context.retention)
end
