--[[
  Takes the webhooks that are due, for one worker to send: each is pushed back by a lease,
  so a worker that dies mid-delivery leaves it due again for another, and two workers never
  send the same delivery at once (until the lease runs out).

  KEYS  webhooksDue (zset)
  ARGV  now (epoch ms), leaseMs, limit

  Returns the alert ids taken.
]]
local due = redis.call('ZRANGEBYSCORE', K.webhooksDue, '-inf', A.now, 'LIMIT', 0, tonumber(A.limit))
local leaseUntil = tonumber(A.now) + tonumber(A.leaseMs)
for _, id in ipairs(due) do redis.call('ZADD', K.webhooksDue, leaseUntil, id) end
return due
