/**
 * One Redis pub/sub connection per API node, fanned out in-process: every worker publishes
 * every job's progress on one channel, and this hub hands each message to the local
 * subscribers of that job only. A message nobody here listens to is dropped unparsed.
 */
import type { Logger } from '../../config/logger.js';
import type { PublishedProgress } from '../../storage/progressEvent.js';
import type { RedisClient } from '../../storage/redisConnection.js';

export type ProgressListener = (message: PublishedProgress) => void;

export interface ProgressHub {
  /** Starts delivering this job's live events to the listener; call the result to stop. */
  listen(analysisId: string, listener: ProgressListener): () => void;
  listenerCount(): number;
  close(): Promise<void>;
}

const ID_PREFIX = '{"analysis_id":"';

/** The job id at the front of a published message, without parsing the whole JSON. */
function analysisIdOf(message: string): string | undefined {
  if (!message.startsWith(ID_PREFIX)) return undefined;
  const end = message.indexOf('"', ID_PREFIX.length);
  return end > 0 ? message.slice(ID_PREFIX.length, end) : undefined;
}

export async function startProgressHub(subscriber: RedisClient, channel: string, log: Logger): Promise<ProgressHub> {
  const listeners = new Map<string, Set<ProgressListener>>();
  let count = 0;

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const analysisId = analysisIdOf(message);
    const local = analysisId === undefined ? undefined : listeners.get(analysisId);
    if (!local) return;
    let parsed: PublishedProgress;
    try {
      parsed = JSON.parse(message) as PublishedProgress;
    } catch (error) {
      log.warn({ err: error }, 'unreadable progress message dropped');
      return;
    }
    for (const listener of local) listener(parsed);
  });
  await subscriber.subscribe(channel);

  return {
    listen(analysisId, listener) {
      let set = listeners.get(analysisId);
      if (!set) listeners.set(analysisId, (set = new Set()));
      set.add(listener);
      count += 1;
      return () => {
        if (!set.delete(listener)) return;
        count -= 1;
        if (set.size === 0) listeners.delete(analysisId);
      };
    },
    listenerCount: () => count,
    async close() {
      listeners.clear();
      // Not awaited: with Redis down it would wait for a reconnect forever; closing the connection ends it anyway.
      subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
