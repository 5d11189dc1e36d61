--[[
  Closes a run its worker gives up on purpose (a shutdown past its grace): the job stays
  `processing` and pending, for another worker to take over, but the takeover will not count
  that run as one that died with its worker (the `runLedger` include).

  KEYS  job
  ARGV  owner (token)

  Returns 1.
]]
--- @include "runLedger"

closeRun(K.job, A.owner)
return 1
