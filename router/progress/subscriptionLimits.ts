/**
 * Counts the progress subscriptions open on each connection and for each user of this API
 * node, so one client cannot hold thousands of feeds (each a listener, a mailbox and a
 * replay). A subscription takes a slot before it starts and gives it back when it ends.
 */
import { TRPCError } from '@trpc/server';

export interface SubscriptionLimits {
  /** Takes a slot for `userId` on `connection`, or throws TOO_MANY_REQUESTS; the returned function gives it back (once). */
  acquire(connection: object, userId: string): () => void;
  openFor(userId: string): number;
}

export function createSubscriptionLimits(limits: { perConnection: number; perUser: number }): SubscriptionLimits {
  const byConnection = new WeakMap<object, number>();
  const byUser = new Map<string, number>();
  return {
    acquire(connection, userId) {
      const onConnection = byConnection.get(connection) ?? 0;
      const ofUser = byUser.get(userId) ?? 0;
      if (onConnection >= limits.perConnection) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `subscriptions: at most ${limits.perConnection} progress subscriptions per connection; close one first`,
        });
      }
      if (ofUser >= limits.perUser)
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `subscriptions: at most ${limits.perUser} progress subscriptions per user; close one first`,
        });
      byConnection.set(connection, onConnection + 1);
      byUser.set(userId, ofUser + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        byConnection.set(connection, (byConnection.get(connection) ?? 1) - 1);
        const left = (byUser.get(userId) ?? 1) - 1;
        if (left > 0) byUser.set(userId, left);
        else byUser.delete(userId);
      };
    },
    openFor: (userId) => byUser.get(userId) ?? 0,
  };
}
