-- progressEvent(status, stage, progress, message, at, dataJson)
-- The one place a progress event's JSON is built: every event a script logs or publishes,
-- whether the caller described it (its fields are script arguments) or the script decided it
-- (a cancel request or a poison entry found mid-batch). dataJson is JSON text, or '' for none;
-- it is spliced in as is, because cjson would turn empty arrays into objects.
-- Concatenated, the message escaped by cjson: encoding the event as one cjson table cost more
-- than the rest of a finish's Lua work. status and stage are words of fixed vocabularies
-- (storage/progressEvent.ts checks what callers send), with nothing to escape, so they are
-- quoted as they are. progress and at are spliced as given: the caller sends them as the text
-- of finite numbers (storage/progressEvent.ts checks), or as Lua numbers.
local function progressEvent(status, stage, progress, message, at, dataJson)
  local data = ''
  if dataJson and dataJson ~= '' then data = ',"data":' .. dataJson end
  return '{"status":"' .. status .. '","stage":"' .. stage .. '","progress":' .. progress
    .. ',"message":' .. cjson.encode(message) .. ',"at":' .. at .. data .. '}'
end
