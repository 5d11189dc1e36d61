--[[
  Admits waiting jobs into the stream, fairly between users (the `admission` include), while
  the stream's undelivered backlog is under the limit: the admitters' safety net, so admission
  never stalls when no job finishes (the finish script admits too). Each job leaves the
  admission queue and enters the stream in this one script.

  KEYS  stream, queue (zset), waiting (hash), tags (hash), weights (hash)
  ARGV  group, limit (backlog limit; 0: admit every waiting job, up to 1,000 a call)

  Returns the ids of the jobs admitted, lowest tag first.
  Events: none (a job's `queued` event was logged when it was queued; it stays queued).
]]
--- @include "admission"

local adm = admission({ stream = K.stream, group = A.group, queue = K.queue, waiting = K.waiting, tags = K.tags, weights = K.weights, limit = A.limit })
return admitWaiting(adm)
