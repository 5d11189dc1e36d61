-- retentionMember(analysisId, userId, idempotencyKey)
-- A job's member on the retention schedule: `analysisId:userId`, then ` idempotencyKey` for a
-- job queued with one (analysis ids hold no colon; user ids and idempotency keys no space), so
-- the sweeper can declare the idempotency key and delete it with the expired job.
local function retentionMember(analysisId, userId, idempotencyKey)
  local member = analysisId .. ':' .. (userId or '')
  if idempotencyKey then return member .. ' ' .. idempotencyKey end
  return member
end
