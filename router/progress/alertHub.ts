/**
 * New alerts, fanned out in-process per user: workers publish `{ user_id, event_id }` on the
 * alert channel, and this hub wakes the local alerts.subscribe feeds of that user, which then
 * read the user's alert log. It shares the API node's pub/sub connection with the progress hub.
 */
import type { Logger } from '../../config/logger.js';
import type { RedisClient } from '../../storage/redisConnection.js';

export interface AlertHub {
  /** Calls `wake` on each new alert of this user; call the result to stop. */
  listen(userId: string, wake: () => void): () => void;
  close(): Promise<void>;
}

export async function startAlertHub(subscriber: RedisClient, channel: string, log: Logger): Promise<AlertHub> {
  const listeners = new Map<string, Set<() => void>>();
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel || listeners.size === 0) return;
    let userId: unknown;
    try {
      userId = (JSON.parse(message) as { user_id?: unknown }).user_id;
    } catch {
      userId = undefined;
    }
    if (typeof userId !== 'string') {
      log.warn({ message: message.slice(0, 200) }, 'unreadable alert message dropped');
      return;
    }
    for (const wake of listeners.get(userId) ?? []) wake();
  });
  await subscriber.subscribe(channel);
  return {
    listen(userId, wake) {
      let set = listeners.get(userId);
      if (!set) listeners.set(userId, (set = new Set()));
      set.add(wake);
      return () => {
        set.delete(wake);
        if (set.size === 0) listeners.delete(userId);
      };
    },
    async close() {
      listeners.clear();
      subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
