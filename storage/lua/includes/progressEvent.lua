-- progressEvent(status, stage, progress, message, at, dataJson)
-- The one place a progress event's JSON is built: every event a script logs or publishes,
-- whether the caller described it (its fields are script arguments) or the script decided it
-- (a cancel request or a poison entry found mid-batch). dataJson is JSON text, or '' for none;
-- it is spliced in as is, because cjson would turn empty arrays into objects.
local function progressEvent(status, stage, progress, message, at, dataJson)
  local json = cjson.encode({ status = status, stage = stage, progress = tonumber(progress), message = message, at = tonumber(at) })
  if dataJson and dataJson ~= '' then json = string.sub(json, 1, -2) .. ',"data":' .. dataJson .. '}' end
  return json
end

-- The final event of a job ended by a script itself; a failure carries its error as data.
local function terminalEvent(status, message, now)
  return progressEvent(status, 'finished', 1, message, now, status == 'failed' and cjson.encode({ error = message }) or '')
end
