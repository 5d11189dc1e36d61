--[[
  Records the outcome of one webhook attempt: `delivered`, `retry` at dueAt, or
  `undeliverable` (retried for as long as allowed). Only a delivery still pending changes.

  KEYS  webhooksDue (zset), alert (hash)
  ARGV  alertId, outcome, now (epoch ms), dueAt (epoch ms, for retry), error ('' on success)

  Returns the attempts made so far, or -1 when the delivery was no longer pending.
]]
if redis.call('HGET', K.alert, 'delivery') ~= 'pending' then
  redis.call('ZREM', K.webhooksDue, A.alertId)
  return -1
end
local attempts = redis.call('HINCRBY', K.alert, 'attempts', 1)
redis.call('HSET', K.alert, 'last_attempt_at', A.now)
if A.outcome == 'delivered' then
  redis.call('HSET', K.alert, 'delivery', 'delivered', 'delivered_at', A.now)
  redis.call('HDEL', K.alert, 'last_error')
  redis.call('ZREM', K.webhooksDue, A.alertId)
elseif A.outcome == 'retry' then
  redis.call('HSET', K.alert, 'last_error', A.error)
  redis.call('ZADD', K.webhooksDue, A.dueAt, A.alertId)
else
  redis.call('HSET', K.alert, 'delivery', 'undeliverable', 'last_error', A.error)
  redis.call('ZREM', K.webhooksDue, A.alertId)
end
return attempts
