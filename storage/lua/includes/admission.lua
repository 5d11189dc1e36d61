-- Fair admission between users. A job enters the stream at once while nobody waits and the
-- stream's undelivered backlog is under the limit; otherwise it waits on the admission queue,
-- a sorted set of `analysisId:userId` scored by a fair-share tag (self-clocked fair queueing):
-- a user's next tag is max(the head's tag, their own last tag) + 1 / weight, so one user's
-- thousand jobs take tags 1..1000 while a newcomer's first job lands next to the head.
-- admitWaiting moves the lowest tags into the stream while the backlog is under the limit.
-- A job is in exactly one of (queue, stream) at every moment: each move is one script.
-- The member carries the user id (after the first ':'; analysis ids hold none), so counts
-- can be kept without reading the job record, whose key the admitting script cannot know.
-- adm = { stream, group, queue, waiting, tags, weights, limit (0: no limit, admit everything) };
-- fields backlog, drained and users are this script's cache.

local ADMIT_MAX_PER_CALL = 1000

local function admission(fields)
  fields.limit = tonumber(fields.limit) or 0
  fields.users = {}
  return fields
end

-- Entries not yet delivered to the group (at most): its lag, or, when Redis cannot tell it
-- (entries were deleted past the last delivered id), a count of them up to the limit.
local function admissionBacklog(adm)
  if adm.backlog then return adm.backlog end
  -- A stream shorter than the limit cannot hold more undelivered entries than its length: an
  -- upper bound (so room is never overstated) for the price of XLEN instead of XINFO.
  local length = redis.call('XLEN', adm.stream)
  if length < adm.limit then
    adm.backlog = length
    return length
  end
  local groups = redis.pcall('XINFO', 'GROUPS', adm.stream)
  if type(groups) ~= 'table' or groups.err then
    adm.backlog = 0
    return 0
  end
  local backlog
  for _, group in ipairs(groups) do
    local info = {}
    for i = 1, #group, 2 do info[group[i]] = group[i + 1] end
    if info.name == adm.group then
      if type(info.lag) == 'number' then
        backlog = info.lag
      else
        backlog = #redis.call('XRANGE', adm.stream, '(' .. info['last-delivered-id'], '+', 'COUNT', math.max(adm.limit, 1))
      end
    end
  end
  -- No group yet: nothing was ever delivered.
  adm.backlog = backlog or length
  return adm.backlog
end

local function admissionRoom(adm)
  if adm.limit <= 0 then return ADMIT_MAX_PER_CALL end
  return math.min(ADMIT_MAX_PER_CALL, adm.limit - admissionBacklog(adm))
end

local function admitEntry(adm, analysisId)
  if adm.backlog then adm.backlog = adm.backlog + 1 end
  return redis.call('XADD', adm.stream, '*', 'analysis_id', analysisId)
end

local function forgetWaiting(adm, userId)
  if redis.call('HINCRBY', adm.waiting, userId, -1) <= 0 then
    redis.call('HDEL', adm.waiting, userId)
    redis.call('HDEL', adm.tags, userId)
    adm.users[userId] = nil
  end
end

-- Moves the lowest tags into the stream while there is room; returns the analysis ids admitted.
local function admitWaiting(adm)
  local admitted = {}
  if adm.drained or redis.call('EXISTS', adm.queue) == 0 then
    adm.drained = true
    return admitted
  end
  local room = admissionRoom(adm)
  if room <= 0 then return admitted end
  local popped = redis.call('ZPOPMIN', adm.queue, room)
  for i = 1, #popped, 2 do
    local member = popped[i]
    local at = string.find(member, ':', 1, true)
    local analysisId, userId = string.sub(member, 1, at - 1), string.sub(member, at + 1)
    admitEntry(adm, analysisId)
    forgetWaiting(adm, userId)
    admitted[#admitted + 1] = analysisId
  end
  if #popped / 2 < room then adm.drained = true end
  return admitted
end

-- The user's weight and last tag, read once per script.
local function waitingUser(adm, userId)
  local user = adm.users[userId]
  if user then return user end
  local weight = tonumber(redis.call('HGET', adm.weights, userId)) or 1
  if weight <= 0 then weight = 1 end
  user = { weight = weight, last = tonumber(redis.call('HGET', adm.tags, userId)) or 0 }
  adm.users[userId] = user
  return user
end

local function waitForAdmission(adm, analysisId, userId)
  local user = waitingUser(adm, userId)
  local head = tonumber(redis.call('ZRANGE', adm.queue, 0, 0, 'WITHSCORES')[2]) or 0
  local tag = math.max(head, user.last) + 1 / user.weight
  user.last = tag
  redis.call('ZADD', adm.queue, tag, analysisId .. ':' .. userId)
  redis.call('HSET', adm.tags, userId, tag)
  redis.call('HINCRBY', adm.waiting, userId, 1)
  adm.drained = false
end

-- For a new job: returns its stream entry id when it is admitted at once, false when it waits.
-- Jobs already waiting are admitted first, so a newcomer never overtakes the queue.
local function admitOrWait(adm, analysisId, userId)
  if adm.limit <= 0 then return admitEntry(adm, analysisId) end
  admitWaiting(adm)
  if adm.drained and admissionBacklog(adm) < adm.limit then return admitEntry(adm, analysisId) end
  waitForAdmission(adm, analysisId, userId)
  return false
end

-- A waiting job that ends before admission (cancelled) leaves the queue; returns 1 if it waited.
local function withdrawWaiting(adm, analysisId, userId)
  local removed = redis.call('ZREM', adm.queue, analysisId .. ':' .. userId)
  if removed == 1 then forgetWaiting(adm, userId) end
  return removed
end
