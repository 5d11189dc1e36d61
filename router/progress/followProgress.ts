/**
 * A job's progress as one ordered feed: listen live first, then replay the log after
 * `lastEventId`, then the live events not already replayed. No gap (the listener is in
 * place before the replay reads) and no duplicate (ids at or below the last one sent are
 * skipped). A completed event goes out with the job's result, read from its record. Ends after
 * the terminal event, or when the signal aborts.
 */
import { isTerminal } from '../../storage/jobRecord.js';
import type { JobQueue } from '../../storage/jobQueue.js';
import { compareStreamIds, type ProgressLog } from '../../storage/progressLog.js';
import type { PublishedProgress } from '../../storage/progressEvent.js';
import { withResult } from './completedResult.js';
import { ProgressMailbox } from './progressMailbox.js';
import type { ProgressHub } from './progressHub.js';

/** Above this many bytes queued on the socket, wait and let the mailbox coalesce. */
export const SOCKET_HIGH_WATER_BYTES = 64 * 1024;

export interface FollowOptions {
  hub: ProgressHub;
  log: ProgressLog;
  queue: JobQueue;
  analysisId: string;
  lastEventId: string | undefined;
  signal: AbortSignal;
  /** Bytes written to the client and not yet sent. */
  outboundBacklog: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function* followProgress(options: FollowOptions): AsyncGenerator<PublishedProgress, void> {
  const { analysisId, signal } = options;
  const mailbox = new ProgressMailbox();
  const stopListening = options.hub.listen(analysisId, (message) => mailbox.push(message));
  try {
    let lastId = options.lastEventId;
    const isNew = (message: PublishedProgress) =>
      lastId === undefined || compareStreamIds(message.event_id, lastId) > 0;
    // Read after listening: a job that ended before we listened has its terminal event in the log.
    const recordBefore = await options.queue.get(analysisId);
    const endedBefore = recordBefore?.status;
    // A job that completed before we listened has its result in that read; a later one is read as it ends.
    const record = async () =>
      recordBefore?.status === 'completed' ? recordBefore : await options.log.recordOf(analysisId);
    const waitForRoom = async () => {
      while (options.outboundBacklog() > SOCKET_HIGH_WATER_BYTES && !signal.aborted) await sleep(10);
    };
    for (const message of await options.log.readAfter(analysisId, lastId)) {
      // The replay respects the socket too: a client that stops reading gets no more than the high-water mark queued.
      await waitForRoom();
      if (signal.aborted) return;
      lastId = message.event_id;
      yield await withResult(message, record);
      if (isTerminal(message.event.status)) return;
    }
    // Terminal, and its event was not after lastEventId: the client has already seen it (or the log expired).
    if (endedBefore !== undefined && isTerminal(endedBefore)) return;
    while (!signal.aborted) {
      await waitForRoom();
      const batch = await mailbox.takeAll(signal);
      if (!batch) return;
      for (const message of batch) {
        if (!isNew(message)) continue;
        lastId = message.event_id;
        yield await withResult(message, record);
        if (isTerminal(message.event.status)) return;
      }
    }
  } finally {
    stopListening();
  }
}
