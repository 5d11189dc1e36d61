--[[
  Removes the consumers of a group that archivers left behind: each idle longer than minIdle
  with nothing pending, except the caller, in one step, so an entry delivered to one between
  a check and a separate delete is never dropped with it (XGROUP DELCONSUMER discards a
  consumer's pending entries). A consumer with pending entries stays until they are taken
  over. A live consumer removed while it waited (a paused archiver) is re-created by its
  next read, so removing one is harmless; keeping them all makes XINFO CONSUMERS grow with
  every restart.

  KEYS  stream
  ARGV  group, minIdle (ms), except (the caller's consumer name)

  Returns the names of the consumers removed.
  Events: none.
]]
local removed = {}
local minIdle = tonumber(A.minIdle)
for _, fields in ipairs(redis.call('XINFO', 'CONSUMERS', K.stream, A.group)) do
  local info = {}
  for i = 1, #fields, 2 do info[fields[i]] = fields[i + 1] end
  local name = info['name']
  if name ~= A.except and tonumber(info['pending']) == 0 and tonumber(info['idle']) > minIdle then
    redis.call('XGROUP', 'DELCONSUMER', K.stream, A.group, name)
    removed[#removed + 1] = name
  end
end
return removed
