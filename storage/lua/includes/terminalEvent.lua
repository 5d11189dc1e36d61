-- terminalEvent(status, message, now)
-- A final progress event built inside a script, for terminal states the caller could not
-- foresee (a cancel request found at finish time, a poison entry found at claim time).
-- Same shape as storage/progressEvent.ts.
local function terminalEvent(status, message, now)
  local event = { status = status, stage = 'finished', progress = 1, message = message, at = tonumber(now) }
  if status == 'failed' then event.data = { error = message } end
  return cjson.encode(event)
end
