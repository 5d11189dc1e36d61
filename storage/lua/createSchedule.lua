--[[
  Creates a schedule: its record, its place on the user's schedule index and on the due set,
  unless the user already has maxSchedules of them.

  KEYS  schedule (hash), userSchedules (zset), due (zset)
  ARGV  scheduleId, createdAt (epoch ms), nextDue (epoch ms), maxSchedules;
        lists: record (field/value pairs, `last_bar:{interval}` included)

  Returns { 'created', scheduleId }, or { 'at-cap', count } with nothing written.
]]
local count = redis.call('ZCARD', K.userSchedules)
if count >= tonumber(A.maxSchedules) then return { 'at-cap', count } end
redis.call('HSET', K.schedule, unpack(A.record))
redis.call('ZADD', K.userSchedules, A.createdAt, A.scheduleId)
redis.call('ZADD', K.due, A.nextDue, A.scheduleId)
return { 'created', A.scheduleId }
