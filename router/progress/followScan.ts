/**
 * A scan's events as one ordered feed, resumable from `lastEventId`: one event per child
 * that ended, the last one carrying the scan's terminal status. Unlike a job's feed, no
 * event may be dropped (each names a different child), so live messages only wake the
 * reader, which then reads the scan's log after the last id it sent: nothing is missed
 * and nothing is sent twice, however far behind the client is.
 */
import { isTerminal } from '../../storage/jobRecord.js';
import { type ProgressLog } from '../../storage/progressLog.js';
import type { PublishedProgress } from '../../storage/progressEvent.js';
import type { ScanStore } from '../../storage/scans/scanStore.js';
import type { ProgressHub } from './progressHub.js';
import { SOCKET_HIGH_WATER_BYTES } from './followProgress.js';

export interface FollowScanOptions {
  hub: ProgressHub;
  log: ProgressLog;
  scans: ScanStore;
  scanId: string;
  lastEventId: string | undefined;
  signal: AbortSignal;
  outboundBacklog: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function* followScan(options: FollowScanOptions): AsyncGenerator<PublishedProgress, void> {
  const { scanId, signal } = options;
  let wake: (() => void) | undefined;
  let woken = true;
  const stopListening = options.hub.listen(scanId, () => {
    woken = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    let lastId = options.lastEventId;
    // Reading the scan counts any child that ended unreported, so its event is in the log below.
    const endedBefore = (await options.scans.read(scanId))?.scan.status;
    while (!signal.aborted) {
      if (!woken) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      woken = false;
      const events = await options.log.readAfter(scanId, lastId);
      for (const message of events) {
        while (options.outboundBacklog() > SOCKET_HIGH_WATER_BYTES && !signal.aborted) await sleep(10);
        if (signal.aborted) return;
        lastId = message.event_id;
        yield message;
        if (isTerminal(message.event.status)) return;
      }
      // Ended before we started, and its last event was not after lastEventId: the client has seen it (or the log expired).
      if (endedBefore !== undefined && isTerminal(endedBefore)) return;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    stopListening();
  }
}
