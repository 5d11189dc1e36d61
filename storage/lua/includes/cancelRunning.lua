-- cancelRunning(streamKey, group, entryId, jobKey, progressKey, channel, now, progressTtl)
-- Ends a job whose user asked to cancel it (`cancel_requested`): status `cancelled`, the
-- final event, and its entry acknowledged. Needs the appendProgress and terminalEvent includes.
local function cancelRunning(streamKey, group, entryId, jobKey, progressKey, channel, now, progressTtl)
  redis.call('HSET', jobKey, 'status', 'cancelled', 'error', 'cancelled by the user', 'updated_at', now, 'finished_at', now)
  redis.call('HDEL', jobKey, 'owner')
  appendProgress(progressKey, channel, redis.call('HGET', jobKey, 'analysis_id'), terminalEvent('cancelled', 'cancelled by the user', now))
  redis.call('EXPIRE', progressKey, progressTtl)
  redis.call('XACK', streamKey, group, entryId)
end
