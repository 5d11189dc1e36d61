-- compactProgressLog(progressKey, copyKey)
-- Shrinks a finished job's progress log to its size. Redis allocates a new stream node at
-- 4 KB (stream-node-max-bytes' default) for the entries still to come, and gives the room
-- back only when the node fills: a job's log of a few events held 4.3 KB for as long as it
-- was kept. A COPY is written at its exact size (about 0.5 KB) and renamed over the log,
-- with the log's entries, ids and TTL; an event appended later (a replayed dead letter) grows
-- it as usual.
local function compactProgressLog(progressKey, copyKey)
  if redis.call('COPY', progressKey, copyKey, 'REPLACE') == 1 then redis.call('RENAME', copyKey, progressKey) end
end
