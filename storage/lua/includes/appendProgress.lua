-- appendProgress(progressKey, channel, logMax, analysisId, eventJson, attemptStart)
-- Appends one event to the job's capped progress log (about logMax entries) and publishes it
-- live as { analysis_id, event_id, event }, so the state change and the event that announces
-- it happen in the same script. attemptStart marks the first event of a new attempt (a
-- replayed dead letter): a reader without a position starts there, not at the old attempt.
-- Returns the event id (the progress stream entry id), which subscribers resume from.
--- @include "progressEvent"
local function appendProgress(progressKey, channel, logMax, analysisId, eventJson, attemptStart)
  local eventId
  if attemptStart then
    eventId = redis.call('XADD', progressKey, 'MAXLEN', '~', logMax, '*', 'event', eventJson, 'attempt', 'start')
  else
    eventId = redis.call('XADD', progressKey, 'MAXLEN', '~', logMax, '*', 'event', eventJson)
  end
  -- Concatenated (the event id is Redis's own digits-digits; an analysis id is `analysis_`, base32
  -- and a partition suffix, see storage/analysisId.ts: neither needs escaping): a cjson table
  -- here cost as much as a command.
  redis.call('PUBLISH', channel, '{"analysis_id":"' .. analysisId .. '","event_id":"' .. eventId .. '","event":' .. eventJson .. '}')
  return eventId
end
