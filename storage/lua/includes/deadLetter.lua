-- deadLetter(streamKey, group, entryId, jobKey, progressKey, deadLettersKey, channel, now, reason, progressTtl)
-- Ends a job `failed` for good and parks it on the dead-letter stream (analysis_id, error,
-- attempts, at) for inspection and replay, then acknowledges its entry. Needs the
-- appendProgress and terminalEvent includes before it.
local function deadLetter(streamKey, group, entryId, jobKey, progressKey, deadLettersKey, channel, now, reason, progressTtl)
  local analysisId = redis.call('HGET', jobKey, 'analysis_id')
  local attempts = redis.call('HGET', jobKey, 'attempts') or '0'
  redis.call('HSET', jobKey, 'status', 'failed', 'error', reason, 'updated_at', now, 'finished_at', now)
  redis.call('HDEL', jobKey, 'owner')
  redis.call('XADD', deadLettersKey, '*', 'analysis_id', analysisId, 'error', reason, 'attempts', attempts, 'at', now)
  appendProgress(progressKey, channel, analysisId, terminalEvent('failed', reason, now))
  redis.call('EXPIRE', progressKey, progressTtl)
  redis.call('XACK', streamKey, group, entryId)
end
