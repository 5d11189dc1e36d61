-- progressEvent(status, stage, progress, message, at, dataJson)
-- The JSON of an event the script decides itself (a cancel request, a poison entry found
-- mid-batch, a takeover, a new job's `queued`); a caller's events arrive as JSON already, made
-- by storage/progressEvent.ts's eventJson in the same form. dataJson is JSON text, or '' for
-- none; it is spliced in as is, because cjson would turn empty arrays into objects.
-- Concatenated, the message escaped by cjson: encoding the event as one cjson table cost more
-- than the rest of a finish's Lua work. status and stage are words of fixed vocabularies
-- with nothing to escape, so they are quoted as they are. progress and at are spliced as
-- given: the text of finite numbers, or Lua numbers.
local function progressEvent(status, stage, progress, message, at, dataJson)
  local data = ''
  if dataJson and dataJson ~= '' then data = ',"data":' .. dataJson end
  return '{"status":"' .. status .. '","stage":"' .. stage .. '","progress":' .. progress
    .. ',"message":' .. cjson.encode(message) .. ',"at":' .. at .. data .. '}'
end
