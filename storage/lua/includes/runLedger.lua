-- The run ledger of a job, on its record: which run is open (`run_owner`, the owner token of
-- the claim that started it) and which runs ended without a word from their worker
-- (`doubted_runs`, owner tokens separated by spaces). A claim opens a run; a finish or a
-- retry closes it. A takeover that finds a run still open cannot tell a dead worker from a
-- live but slow one, so it puts that run in doubt; any later write from its owner (a claim
-- refresh, progress, finish or retry it is fenced out of) proves the owner was alive and
-- withdraws the doubt. Runs still in doubt are the crashed runs the poison limit counts:
-- XAUTOCLAIM's delivery count also counts every takeover of a slow owner.

-- list: the `doubted_runs` field when the caller has read it already (false: it is not set).
local function doubtedRuns(jobKey, list)
  local runs = {}
  if list == nil then list = redis.call('HGET', jobKey, 'doubted_runs') end
  if list then
    for token in string.gmatch(list, '[^ ]+') do runs[#runs + 1] = token end
  end
  return runs
end

local function saveDoubtedRuns(jobKey, runs)
  if #runs == 0 then
    redis.call('HDEL', jobKey, 'doubted_runs')
  else
    redis.call('HSET', jobKey, 'doubted_runs', table.concat(runs, ' '))
  end
end

-- openRun(jobKey, owner): the run of this claim has started.
local function openRun(jobKey, owner)
  redis.call('HSET', jobKey, 'run_owner', owner)
end

-- closeRun(jobKey, owner): the owner ended its run, or, fenced out, showed it was alive.
-- A caller that has read `run_owner` and found it is this owner's deletes it with its own
-- HDEL instead, and calls this only otherwise.
local function closeRun(jobKey, owner)
  if redis.call('HGET', jobKey, 'run_owner') == owner then
    redis.call('HDEL', jobKey, 'run_owner')
    return
  end
  local runs = doubtedRuns(jobKey)
  for i, token in ipairs(runs) do
    if token == owner then
      table.remove(runs, i)
      saveDoubtedRuns(jobKey, runs)
      return
    end
  end
end

-- crashedRuns(jobKey, consumer): before a claim, puts a run left open in doubt and returns
-- how many runs are in doubt. Consumer names are `{worker}-c{n}`, owner tokens
-- `{consumer}:{uuid}`. A run of another consumer of the claiming worker process is not in
-- doubt: that process is evidently alive. Its open run is simply closed, and a run of it put
-- in doubt earlier is withdrawn (else one death of that process could count twice: the run it
-- was taken over from, and the one it took back). An open run of the claiming consumer itself
-- is in doubt: the consumer was restarted and lost the job with it.
-- open, list: the `run_owner` and `doubted_runs` fields as the caller read them (false when
-- not set), so a claim reads the record once. Call it once per claim: it changes the ledger.
local function crashedRuns(jobKey, consumer, open, list)
  -- No run open and none in doubt (every first claim): nothing to count or change.
  if not open and list == false then return 0 end
  local worker = string.match(consumer, '^(.*%-c)%d+$')
  local function sibling(token)
    local of = string.match(token, '^(.*):') or token
    return worker ~= nil and of ~= consumer and string.match(of, '^(.*%-c)%d+$') == worker
  end
  local runs = {}
  local withdrawn = false
  for _, token in ipairs(doubtedRuns(jobKey, list)) do
    if sibling(token) then withdrawn = true else runs[#runs + 1] = token end
  end
  if open then
    redis.call('HDEL', jobKey, 'run_owner')
    if not sibling(open) then runs[#runs + 1] = open end
  end
  if open or withdrawn then saveDoubtedRuns(jobKey, runs) end
  return #runs
end
