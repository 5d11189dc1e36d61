-- appendProgress(progressKey, channel, analysisId, eventJson)
-- Appends one event to the job's capped progress log and publishes it live, so the state
-- change and the event that announces it happen in the same script.
-- Returns the event id (the progress stream entry id), which subscribers resume from.
local function appendProgress(progressKey, channel, analysisId, eventJson)
  local eventId = redis.call('XADD', progressKey, 'MAXLEN', '~', 500, '*', 'event', eventJson)
  redis.call('PUBLISH', channel,
    '{"analysis_id":"' .. analysisId .. '","event_id":"' .. eventId .. '","event":' .. eventJson .. '}')
  return eventId
end
