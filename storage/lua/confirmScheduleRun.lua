--[[
  Records that a schedule's run was created (or could not be: the user was at the cap), and,
  when it is the schedule's pending run, clears it and sets the next due time.

  KEYS  schedule (hash), due (zset), runs (zset)
  ARGV  scheduleId, scanId, outcome ('queued' | 'at-cap'), closedAt (epoch ms, the run's
        score), nextDue (epoch ms), now (epoch ms), runsMax (runs kept on the schedule)

  Returns 'confirmed' (it was the pending run), 'late' (another node confirmed it, or a newer
  run replaced it), or 'gone' (the schedule was deleted).
]]
if redis.call('EXISTS', K.schedule) == 0 then
  redis.call('ZREM', K.due, A.scheduleId)
  return 'gone'
end
if A.outcome == 'queued' then
  redis.call('ZADD', K.runs, A.closedAt, A.scanId)
  redis.call('ZREMRANGEBYRANK', K.runs, 0, -(tonumber(A.runsMax) + 1))
end
if redis.call('HGET', K.schedule, 'pending_scan') ~= A.scanId then return 'late' end
redis.call('HDEL', K.schedule, 'pending_scan', 'pending_bars')
redis.call('HSET', K.schedule, 'updated_at', A.now)
if A.outcome == 'queued' then
  redis.call('HINCRBY', K.schedule, 'runs', 1)
  redis.call('HSET', K.schedule, 'last_scan_id', A.scanId, 'last_run_at', A.now)
else
  redis.call('HINCRBY', K.schedule, 'skipped_runs', 1)
  redis.call('HSET', K.schedule, 'last_skipped_at', A.now)
end
if redis.call('HGET', K.schedule, 'status') == 'active' then
  redis.call('ZADD', K.due, A.nextDue, A.scheduleId)
end
return 'confirmed'
