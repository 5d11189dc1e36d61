-- deadLetter(job, entryId, reason, context)
-- Ends a job `failed` for good and parks it on the dead-letter stream (analysis_id, error,
-- attempts, at) for inspection and replay, indexes the letter by job id (replay finds it
-- without reading the stream), keeps the stream to deadLetterMax letters (the oldest go, with
-- their index entries), then acknowledges the job's entry.
-- job = { key, progressKey }; context = { stream, group, channel, now, logMax, progressTtl,
-- deadLetters, deadLetterIndex, deadLetterMax, retention }.
--- @include "appendProgress"
--- @include "terminalEvent"
--- @include "archiveOutbox"
local function deadLetter(job, entryId, reason, context)
  local analysisId = redis.call('HGET', job.key, 'analysis_id')
  local attempts = redis.call('HGET', job.key, 'attempts') or '0'
  redis.call('HSET', job.key, 'status', 'failed', 'error', reason, 'updated_at', context.now, 'finished_at', context.now)
  redis.call('HDEL', job.key, 'owner')
  local letterId = redis.call('XADD', context.deadLetters, '*', 'analysis_id', analysisId, 'error', reason, 'attempts', attempts, 'at', context.now)
  redis.call('HSET', context.deadLetterIndex, analysisId, letterId)
  local excess = redis.call('XLEN', context.deadLetters) - tonumber(context.deadLetterMax)
  if excess > 0 then
    for _, letter in ipairs(redis.call('XRANGE', context.deadLetters, '-', '+', 'COUNT', excess)) do
      local fields = letter[2]
      for i = 1, #fields, 2 do
        if fields[i] == 'analysis_id' and redis.call('HGET', context.deadLetterIndex, fields[i + 1]) == letter[1] then
          redis.call('HDEL', context.deadLetterIndex, fields[i + 1])
        end
      end
      redis.call('XDEL', context.deadLetters, letter[1])
    end
  end
  appendProgress(job.progressKey, context.channel, context.logMax, analysisId, terminalEvent('failed', reason, context.now))
  redis.call('EXPIRE', job.progressKey, context.progressTtl)
  redis.call('XACK', context.stream, context.group, entryId)
  retainFinished(job, context.retention)
end
