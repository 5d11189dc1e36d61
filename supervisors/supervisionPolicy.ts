/**
 * What a supervisor does when a child crashes, OTP-style and pure: restart it after a backoff
 * that doubles with each recent restart, at most `maxRestarts` times within `windowMs`; one
 * crash more means the failure is not transient, and the supervisor escalates (for a worker
 * node: the process exits non-zero and its process manager starts a fresh one). Time comes
 * in as `now`, so every decision is tested without waiting.
 */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  /** The first restart waits `initialMs`; each further restart within the window doubles it, up to `maxMs`. */
  backoff: { initialMs: number; maxMs: number };
}

/** When a group of children last restarted (epoch ms, oldest first). */
export type RestartHistory = readonly number[];

export const noRestarts: RestartHistory = [];

export type CrashDecision =
  | { action: 'restart'; delayMs: number; history: RestartHistory }
  | { action: 'escalate'; restartsInWindow: number; history: RestartHistory };

export function decideOnCrash(policy: RestartPolicy, history: RestartHistory, now: number): CrashDecision {
  const recent = history.filter((at) => at > now - policy.windowMs);
  if (recent.length >= policy.maxRestarts)
    return { action: 'escalate', restartsInWindow: recent.length, history: recent };
  const delayMs = Math.min(policy.backoff.maxMs, policy.backoff.initialMs * 2 ** recent.length);
  return { action: 'restart', delayMs, history: [...recent, now] };
}

/** The worker node's children, as its supervisor groups them: each group has one policy and one restart history. */
export type NodeChildKind =
  'consumer' | 'reclaimer' | 'retry-scheduler' | 'heartbeat' | 'archiver' | 'retention-sweeper' | 'periodic';

/**
 * Consumers restart quickly (a crash there is usually one bad job, which the delivery limit
 * dead-letters within a few restarts); the periodic children wait longer, since a crash there
 * more likely means Redis or a bug, and they only delay work that their next sweep catches up.
 */
export const NODE_CHILD_POLICIES: Readonly<Record<NodeChildKind, RestartPolicy>> = {
  consumer: { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 50, maxMs: 5_000 } },
  reclaimer: { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 500, maxMs: 30_000 } },
  'retry-scheduler': { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 500, maxMs: 30_000 } },
  heartbeat: { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 500, maxMs: 30_000 } },
  // Like the other periodic children: what a crash delays (archiving, index trims) is still in Redis for the next batch.
  archiver: { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 500, maxMs: 30_000 } },
  'retention-sweeper': { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 500, maxMs: 30_000 } },
  periodic: { maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 500, maxMs: 30_000 } },
};
