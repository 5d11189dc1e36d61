-- retainFinished(job, retention)
-- What a job leaves behind once it is terminal. With archiving on, its id goes on the archive
-- (outbox) stream in the same atomic step as the terminal status, and its expiry waits for
-- the archiver's acknowledgement (ackArchived.lua), so a lagging archiver never finds the
-- record gone; without it, the record starts to expire now (expireFinished).
-- job = { key, progressKey }; retention as in expireFinished.
--- @include "expireFinished"
local function retainFinished(job, retention)
  if retention.archive == '1' then
    redis.call('XADD', retention.archiveKey, '*', 'analysis_id', redis.call('HGET', job.key, 'analysis_id'))
    return
  end
  expireFinished(job.key, job.progressKey, retention)
end
