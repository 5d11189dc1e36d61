-- retainFinishedRead(jobKey, progressKey, retention, progressTtl, analysisId, userId, idempotencyKey, due)
-- For a caller that has already read the job's ids: what `EXPIRE progressKey progressTtl`
-- followed by retainFinished (archiveOutbox) leaves, with one EXPIRE per key and no read.
-- The progress log keeps progressTtl, unless the record's own retention (ttl > 0, no
-- archiving) starts now and takes the log with it. The job's place on the retention schedule
-- is appended to `due` (score, member, ...) for the caller to ZADD once for its whole batch:
-- a ZADD per job cost a batch a command call per job.
-- retention as in expireFinished.
--- @include "retentionMember"
local function retainFinishedRead(jobKey, progressKey, retention, progressTtl, analysisId, userId, idempotencyKey, due)
  local ttl = tonumber(retention.ttl)
  if retention.archive == '1' then
    redis.call('EXPIRE', progressKey, progressTtl)
    redis.call('XADD', retention.archiveKey, '*', 'analysis_id', analysisId)
  elseif ttl > 0 and analysisId then
    redis.call('EXPIRE', jobKey, ttl)
    redis.call('EXPIRE', progressKey, ttl)
    due[#due + 1] = tonumber(retention.now) + ttl * 1000
    due[#due + 1] = retentionMember(analysisId, userId, idempotencyKey)
  else
    redis.call('EXPIRE', progressKey, progressTtl)
  end
end
