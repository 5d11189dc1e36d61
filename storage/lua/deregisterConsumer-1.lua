--[[
  Deletes a consumer from the group only if it has nothing pending, in one step: an entry
  delivered to it between a check and a separate delete would be dropped with it and its job
  never run. A consumer with pending entries stays, so the reclaimer can take them over.
  (A read still blocked for it when this runs re-creates the consumer on delivery; the entry
  is then pending for it and reclaimed like any other.)

  KEYS  stream
  ARGV  group, consumer

  Returns { removed (1 or 0), pending }; { 0, 0 } for a consumer the group does not know.
]]
for _, fields in ipairs(redis.call('XINFO', 'CONSUMERS', K.stream, A.group)) do
  local info = {}
  for i = 1, #fields, 2 do info[fields[i]] = fields[i + 1] end
  if info['name'] == A.consumer then
    local pending = tonumber(info['pending'])
    if pending > 0 then return { 0, pending } end
    redis.call('XGROUP', 'DELCONSUMER', K.stream, A.group, A.consumer)
    return { 1, 0 }
  end
end
return { 0, 0 }
