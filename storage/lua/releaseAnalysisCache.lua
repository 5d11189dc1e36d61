--[[
  Ends one job's ownership of a shared analysis: only the owner may, and with a result it
  stores it for the rest of the bar, in the same step, so a waiting job sees either the
  owner still computing or the result, never neither (after a failure: neither, and the next
  waiter becomes the owner).

  KEYS  owner (string), result (string)
  ARGV  owner (analysis id), result (JSON, '' after a failure), ttlMs

  Returns 1 when this job was the owner, 0 otherwise (nothing written).
]]
if redis.call('GET', K.owner) ~= A.owner then return 0 end
if A.result ~= '' then redis.call('SET', K.result, A.result, 'PX', tonumber(A.ttlMs)) end
redis.call('DEL', K.owner)
return 1
