--[[
  Prunes a user's active set of the jobs that have ended by any path (finish, cancel, dead
  letter), so no terminal transition has to maintain it; run when an enqueue or a replay
  finds the user at the cap.

  KEYS  userActive (zset)
  per candidate: KEYS job; ARGV analysisId

  Returns how many jobs remain on the active set.
]]
for _, item in ipairs(ITEMS) do
  local status = redis.call('HGET', item.keys.job, 'status')
  if status ~= 'queued' and status ~= 'processing' then redis.call('ZREM', K.userActive, item.args.analysisId) end
end
return redis.call('ZCARD', K.userActive)
