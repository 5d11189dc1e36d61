-- terminalEvent(status, message, now)
--- @include "progressEvent"
-- The final event of a job ended by a script itself; a failure carries its error as data.
local function terminalEvent(status, message, now)
  return progressEvent(status, 'finished', 1, message, now, status == 'failed' and '{"error":' .. cjson.encode(message) .. '}' or '')
end
