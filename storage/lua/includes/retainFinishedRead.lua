-- retainFinishedRead(jobKey, progressKey, retention, progressTtl, analysisId, userId, idempotencyKey, due)
-- For a caller that has already read the job's ids: what `EXPIRE progressKey progressTtl`
-- followed by retainFinished (archiveOutbox) leaves, with one EXPIRE per key and no read.
-- The progress log keeps progressTtl, unless the record's own retention (ttl > 0, no
-- archiving) starts now and takes the log with it. The job's place on the retention schedule
-- is appended to `due` (score, member, ...) for the caller to ZADD once for its whole batch:
-- a ZADD per job cost a batch a command call per job.
-- retention as in expireFinished (its ttlText and dueAtText are filled in here, once per script);
-- progressTtl as text.
--- @include "retentionMember"
local function retainFinishedRead(jobKey, progressKey, retention, progressTtl, analysisId, userId, idempotencyKey, due)
  local ttl = tonumber(retention.ttl)
  if retention.archive == '1' then
    redis.call('EXPIRE', progressKey, progressTtl)
    redis.call('XADD', retention.archiveKey, '*', 'analysis_id', analysisId)
  elseif ttl > 0 and analysisId then
    -- A number sent to a command becomes text through sprintf, about 2.8k instructions each:
    -- the batch's two texts are made once per script (3 conversions a job were 3% of a drain).
    if not retention.ttlText then
      retention.ttlText = tostring(ttl)
      retention.dueAtText = tostring(tonumber(retention.now) + ttl * 1000)
    end
    redis.call('EXPIRE', jobKey, retention.ttlText)
    redis.call('EXPIRE', progressKey, retention.ttlText)
    due[#due + 1] = retention.dueAtText
    due[#due + 1] = retentionMember(analysisId, userId, idempotencyKey)
  else
    redis.call('EXPIRE', progressKey, progressTtl)
  end
end
