--[[
  Records one alert, once per rule x symbol x interval x bar however many jobs, retries or
  nodes find the same match: the once-key is SET NX with a TTL beyond the bar, and only the
  caller that sets it writes the alert, logs it for its user, publishes it and (with a
  webhook) schedules its delivery.

  KEYS  once (string), alert (hash), userAlerts (stream), webhooksDue (zset)
  ARGV  alertId, onceTtl (s), alertTtl (s), now (epoch ms), logMax, channel, userId,
        webhook ('1': deliver to the rule's URL); lists: fields (field/value pairs)

  Returns { 'created', eventId } or { 'duplicate', alertId of the first }.
  Events: `{ user_id, event_id, alert_id }` on the alert channel.
]]
if not redis.call('SET', K.once, A.alertId, 'NX', 'EX', tonumber(A.onceTtl)) then
  return { 'duplicate', redis.call('GET', K.once) or '' }
end

redis.call('HSET', K.alert, unpack(A.fields))
redis.call('HSET', K.alert, 'delivery', A.webhook == '1' and 'pending' or 'none', 'attempts', 0)
redis.call('EXPIRE', K.alert, tonumber(A.alertTtl))
local eventId = redis.call('XADD', K.userAlerts, 'MAXLEN', '~', A.logMax, '*', 'alert_id', A.alertId)
if A.webhook == '1' then redis.call('ZADD', K.webhooksDue, A.now, A.alertId) end
redis.call('PUBLISH', A.channel, cjson.encode({ user_id = A.userId, event_id = eventId, alert_id = A.alertId }))
return { 'created', eventId }
