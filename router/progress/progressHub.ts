/**
 * One Redis pub/sub connection per API node, fanned out in-process: every worker publishes
 * every job's progress on one channel, and this hub hands each message to the local
 * subscribers of that job only. Every message is parsed and checked; a malformed one is
 * logged and dropped.
 */
import type { Logger } from '../../config/logger.js';
import { parsePublishedProgress, type PublishedProgress } from '../../storage/progressEvent.js';
import type { RedisClient } from '../../storage/redisConnection.js';

export type ProgressListener = (message: PublishedProgress) => void;

export interface ProgressHub {
  /** Starts delivering this job's live events to the listener; call the result to stop. */
  listen(analysisId: string, listener: ProgressListener): () => void;
  listenerCount(): number;
  close(): Promise<void>;
}

export async function startProgressHub(subscriber: RedisClient, channel: string, log: Logger): Promise<ProgressHub> {
  const listeners = new Map<string, Set<ProgressListener>>();
  let count = 0;

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel || listeners.size === 0) return;
    const parsed = parsePublishedProgress(message);
    if (!parsed) {
      log.warn({ message: message.slice(0, 200) }, 'unreadable progress message dropped');
      return;
    }
    const local = listeners.get(parsed.analysis_id);
    if (!local) return;
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
