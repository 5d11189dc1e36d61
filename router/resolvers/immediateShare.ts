/**
 * Each user's share of the immediate-analysis thread pool: at most
 * API_IMMEDIATE_MAX_PER_USER of their analyses are running or waiting at once, so one user
 * cannot fill the pool's whole wait line and keep everyone else waiting or refused.
 */
import { TRPCError } from '@trpc/server';
import type { ApiServices } from '../apiServices.js';

const inFlightByNode = new WeakMap<ApiServices, Map<string, number>>();

/** Runs `work` within the user's share, or refuses with TOO_MANY_REQUESTS at once. */
export async function withinImmediateShare<T>(
  services: ApiServices,
  userId: string,
  work: () => Promise<T>,
): Promise<T> {
  let inFlight = inFlightByNode.get(services);
  if (!inFlight) inFlightByNode.set(services, (inFlight = new Map<string, number>()));
  const limit = services.config.API_IMMEDIATE_MAX_PER_USER;
  const mine = inFlight.get(userId) ?? 0;
  if (mine >= limit) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `immediate: at most ${limit} immediate analyses per user at a time; wait for one to finish, or queue it with analysis.queue`,
    });
  }
  inFlight.set(userId, mine + 1);
  try {
    return await work();
  } finally {
    const left = (inFlight.get(userId) ?? 1) - 1;
    if (left > 0) inFlight.set(userId, left);
    else inFlight.delete(userId);
  }
}
