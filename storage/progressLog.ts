/**
 * Reading a job's capped progress log (the stream the scripts append to), for replay on
 * (re)subscribe, and the record a completed event's result is read from.
 */
import { type JobRecord, readJobRecord } from './jobRecord.js';
import type { QueueKeys } from './keys.js';
import { parseProgressEvent, type PublishedProgress } from './progressEvent.js';
import type { RedisClient } from './redisConnection.js';

export const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/** Orders two stream entry ids (`ms-seq`) numerically; plain string order is wrong for `9-0` vs `10-0`. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let index = 0; index + 1 < fields.length; index += 2) if (fields[index] === name) return fields[index + 1];
  return undefined;
}

function eventOf(json: string | undefined): PublishedProgress['event'] | undefined {
  if (json === undefined) return undefined;
  try {
    return parseProgressEvent(JSON.parse(json));
  } catch {
    return undefined;
  }
}

export function createProgressLog(redis: RedisClient, keys: QueueKeys) {
  /**
   * Events after `afterId` (exclusive), or all of them; oldest first. Entries that are not
   * events are skipped. When a new attempt started in that range (a replayed dead letter), the
   * reading starts at the newest attempt: the old attempt's terminal event is history, not the
   * job's end.
   */
  async function readAfter(analysisId: string, afterId: string | undefined): Promise<PublishedProgress[]> {
    const all = await redis.xrange(keys.progress(analysisId), afterId ? `(${afterId}` : '-', '+');
    let start = 0;
    for (let index = all.length - 1; index > 0; index -= 1) {
      if (fieldOf(all[index]![1], 'attempt') === 'start') {
        start = index;
        break;
      }
    }
    const entries = start === 0 ? all : all.slice(start);
    return entries.flatMap(([eventId, fields]) => {
      const event = eventOf(fieldOf(fields, 'event'));
      return event === undefined ? [] : [{ analysis_id: analysisId, event_id: eventId, event }];
    });
  }
  // The followers of a job on one node reach its completed event together: overlapping reads
  // of its record (tens of KB) share one HGETALL.
  const recordReads = new Map<string, Promise<JobRecord | undefined>>();
  /** The job's record as it is now, for a completed event's result. */
  function recordOf(analysisId: string): Promise<JobRecord | undefined> {
    let read = recordReads.get(analysisId);
    if (read === undefined) {
      read = readJobRecord(redis, keys, analysisId).finally(() => recordReads.delete(analysisId));
      recordReads.set(analysisId, read);
    }
    return read;
  }

  return { readAfter, recordOf };
}

export type ProgressLog = ReturnType<typeof createProgressLog>;
