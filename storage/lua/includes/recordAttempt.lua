-- recordAttempt(jobKey, now, reason, node)
-- Appends one failed attempt { attempt, at, error, node } to the job's history, a JSON list in
-- the record's `history` field. It stays as long as the job record does, which has no expiry
-- of its own here. Returns the history length.
local function recordAttempt(jobKey, now, reason, node)
  local history = {}
  local stored = redis.call('HGET', jobKey, 'history')
  if stored then history = cjson.decode(stored) end
  history[#history + 1] = { attempt = #history + 1, at = tonumber(now), error = reason, node = node }
  redis.call('HSET', jobKey, 'history', cjson.encode(history))
  return #history
end
