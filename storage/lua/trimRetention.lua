--[[
  Drops expired jobs from their users' indexes: the retention sweeper reads the due members
  of the retention schedule (`analysisId:userId`, then ` idempotencyKey` for a job queued with
  one; scored by expiry) and sends them here. A job whose record is gone leaves its user's job
  index and active set, and its idempotency key goes with it unless the key names another
  analysis by now (it has its own expiry, a backstop, after which a request may reuse it); one
  whose record is back without an expiry (a replayed dead letter) only leaves the schedule; one
  not expired yet (clocks apart) stays scheduled for when it does.

  KEYS  retention (schedule zset)
  ARGV  now (epoch ms)
  per job: KEYS job, userJobs (zset), userActive (zset), idempotency (string; a job queued without
  a key names the empty key, which no request can set); ARGV member, analysisId

  Returns the number of ids dropped from user indexes.
  Events: none.
]]

local dropped = 0
for _, item in ipairs(ITEMS) do
  if redis.call('ZSCORE', K.retention, item.args.member) then
    if redis.call('EXISTS', item.keys.job) == 0 then
      dropped = dropped + redis.call('ZREM', item.keys.userJobs, item.args.analysisId)
      redis.call('ZREM', item.keys.userActive, item.args.analysisId)
      if redis.call('GET', item.keys.idempotency) == item.args.analysisId then redis.call('DEL', item.keys.idempotency) end
      redis.call('ZREM', K.retention, item.args.member)
    else
      local pttl = redis.call('PTTL', item.keys.job)
      if pttl < 0 then
        redis.call('ZREM', K.retention, item.args.member)
      else
        redis.call('ZADD', K.retention, tonumber(A.now) + pttl, item.args.member)
      end
    end
  end
end
return dropped
