/**
 * Every Lua script Candela runs, described once: its file in storage/lua, the names of its
 * KEYS and ARGV (the order here is the order they are sent), and the shape of its reply.
 */
import { integer, integers, list, oneOf, text, textOrNull, texts } from './replies.js';
import { ADMISSION_KEYS, ADMISSION_SCRIPTS } from './admissionScripts.js';
import { ALERT_SCRIPTS } from './alertScripts.js';
import { CACHE_SCRIPTS } from './cacheScripts.js';
import { SCAN_SCRIPTS } from './scanScripts.js';
import { SCHEDULE_SCRIPTS } from './scheduleScripts.js';
import { jsonValues } from './jsonValues.js';
import { defineScript } from './scriptDefinition.js';

/** The user is at the cap on active jobs: how many, and their ids, to prune those that have ended. */
export interface AtCap {
  outcome: 'at-cap';
  active: number;
  ids: string[];
}

function atCap(rest: unknown[], fail: Parameters<typeof integer>[1]): AtCap {
  const [active, ...ids] = rest;
  return { outcome: 'at-cap', active: integer(active, fail), ids: texts(ids, fail) };
}

export type EnqueueReply = { outcome: 'queued' | 'existing'; analysisId: string } | AtCap;

export const enqueueJobs = defineScript({
  name: 'enqueueJobs',
  file: 'enqueueJobs.lua',
  keys: ['stream', ...ADMISSION_KEYS],
  args: ['maxActive', 'progressLogMax', 'group', 'admissionLimit'],
  item: {
    keys: ['job', 'userJobs', 'idempotency', 'progress', 'userActive'],
    args: ['analysisId', 'createdAt', 'idempotencyTtl', 'userId'],
    lists: ['record'],
  },
  parseReply(reply, fail): EnqueueReply[] {
    return list(reply, fail).map((entry): EnqueueReply => {
      const [outcome, ...rest] = list(entry, fail);
      const kind = oneOf(outcome, ['queued', 'existing', 'at-cap'], fail);
      return kind === 'at-cap' ? atCap(rest, fail) : { outcome: kind, analysisId: text(rest[0], fail) };
    });
  },
});

export const pruneActiveJobs = defineScript({
  name: 'pruneActiveJobs',
  file: 'pruneActiveJobs.lua',
  keys: ['userActive'],
  args: [],
  item: { keys: ['job'], args: ['analysisId'] },
  parseReply: (reply, fail) => integer(reply, fail),
});

export const cancelJob = defineScript({
  name: 'cancelJob',
  file: 'cancelJob-3.lua',
  keys: [
    'job',
    'progress',
    'userActive',
    'archive',
    'retention',
    'admissionQueue',
    'admissionWaiting',
    'admissionTags',
  ],
  args: ['userId', 'now', 'channel', 'cancelChannel', 'progressTtl', 'progressLogMax', 'resultTtl', 'archiving'],
  parseReply(reply, fail) {
    const [outcome, status] = list(reply, fail);
    return {
      outcome: oneOf(outcome, ['cancelled', 'requested', 'terminal', 'missing'], fail),
      status: text(status, fail),
    };
  },
});

export const appendStageEvents = defineScript({
  name: 'appendStageEvents',
  file: 'appendStageEvents.lua',
  keys: [],
  args: ['channel', 'progressLogMax'],
  item: { keys: ['job', 'progress'], args: ['owner', 'event'] },
  parseReply: (reply, fail) => list(reply, fail).map((id) => textOrNull(id, fail)),
});

const CLAIM_SKIPS = ['missing', 'stale-entry', 'terminal', 'not-pending', 'cancelled', 'dead-lettered'] as const;
export type ClaimSkipReason = (typeof CLAIM_SKIPS)[number];
export type ClaimReply =
  /** `values`: the claimed fields' values, in CLAIMED_FIELDS' order (null when absent). */
  | { outcome: 'claimed' | 'taken-over'; values: readonly (string | null)[] }
  | { outcome: 'skipped'; reason: ClaimSkipReason };

export const claimJobs = defineScript({
  name: 'claimJobs',
  file: 'claimJobs.lua',
  keys: ['stream', 'deadLetters', 'deadLetterIndex', 'archive', 'retention'],
  args: [
    'group',
    'now',
    'channel',
    'maxDeliveries',
    'consumer',
    'progressTtl',
    'progressLogMax',
    'deadLetterMax',
    'resultTtl',
    'archiving',
    'startedEvent',
  ],
  lists: ['claimedFields'],
  item: { keys: ['job', 'progress'], args: ['entryId', 'owner', 'fresh'] },
  parseReply(reply, fail): ClaimReply[] {
    return list(reply, fail).map((entry): ClaimReply => {
      const [kind, detail] = texts(entry, fail);
      const outcome = oneOf(kind, ['claimed', 'taken-over', 'skipped'], fail);
      if (outcome === 'skipped') return { outcome, reason: oneOf(detail, CLAIM_SKIPS, fail) };
      return { outcome, values: jsonValues(detail ?? fail('a claimed entry with its values'), fail) };
    });
  },
});

export const finishJobs = defineScript({
  name: 'finishJobs',
  file: 'finishJobs.lua',
  keys: ['stream', 'archive', 'retention', ...ADMISSION_KEYS],
  args: ['group', 'now', 'channel', 'progressTtl', 'progressLogMax', 'resultTtl', 'archiving', 'admissionLimit'],
  item: { keys: ['job', 'progress'], args: ['entryId', 'owner', 'status', 'event'], lists: ['fields'] },
  parseReply: (reply, fail) =>
    integers(reply, fail).map((value) =>
      value === 1 ? 'finished' : value === 2 ? 'cancelled' : value === 0 ? 'lost' : fail('0, 1 or 2 per job'),
    ),
});

export const refreshClaims = defineScript({
  name: 'refreshClaims',
  file: 'refreshClaims.lua',
  keys: ['stream'],
  args: ['group', 'consumer'],
  item: { keys: ['job'], args: ['entryId', 'owner'] },
  parseReply: (reply, fail) =>
    integers(reply, fail).map((value) =>
      value === 1 ? 'owned' : value === 2 ? 'cancel-requested' : value === 0 ? 'lost' : fail('0, 1 or 2 per job'),
    ),
});

export const retryJob = defineScript({
  name: 'retryJob',
  file: 'retryJob-6.lua',
  keys: ['stream', 'job', 'progress', 'schedule', 'deadLetters', 'deadLetterIndex', 'archive', 'retention'],
  args: [
    'group',
    'now',
    'channel',
    'progressTtl',
    'progressLogMax',
    'deadLetterMax',
    'entryId',
    'owner',
    'error',
    'node',
    'maxRetries',
    'dueAt',
    'resultTtl',
    'archiving',
    'retryingEvent',
  ],
  parseReply(reply, fail) {
    const [outcome, attempts] = list(reply, fail);
    return {
      outcome: oneOf(outcome, ['retrying', 'dead-lettered', 'cancelled', 'lost'], fail),
      attempts: integer(attempts, fail),
    };
  },
});

export const moveDueRetries = defineScript({
  name: 'moveDueRetries',
  file: 'moveDueRetries.lua',
  keys: ['stream', 'schedule'],
  args: ['now'],
  item: { keys: ['job'], args: ['analysisId'] },
  parseReply: (reply, fail) => texts(reply, fail),
});

export const replayDeadLetter = defineScript({
  name: 'replayDeadLetter',
  file: 'replayDeadLetter-6.lua',
  keys: ['stream', 'job', 'deadLetters', 'deadLetterIndex', 'progress', 'userActive'],
  args: ['letterId', 'now', 'channel', 'progressLogMax', 'maxActive', 'event'],
  parseReply(reply, fail): { outcome: 'replayed'; entryId: string } | { outcome: 'not-failed' } | AtCap {
    const [outcome, ...rest] = list(reply, fail);
    const kind = oneOf(outcome, ['replayed', 'not-failed', 'at-cap'], fail);
    if (kind === 'at-cap') return atCap(rest, fail);
    return kind === 'replayed' ? { outcome: kind, entryId: text(rest[0], fail) } : { outcome: kind };
  },
});

export const trimStream = defineScript({
  name: 'trimStream',
  file: 'trimStream-1.lua',
  keys: ['stream'],
  args: ['group'],
  parseReply: (reply, fail) => integer(reply, fail),
});

export const deregisterConsumer = defineScript({
  name: 'deregisterConsumer',
  file: 'deregisterConsumer-1.lua',
  keys: ['stream'],
  args: ['group', 'consumer'],
  parseReply(reply, fail) {
    const [removed, pending] = integers(reply, fail);
    return { removed: removed === 1, pending: pending ?? fail('{ removed, pending }') };
  },
});

export const releaseRun = defineScript({
  name: 'releaseRun',
  file: 'releaseRun-1.lua',
  keys: ['job'],
  args: ['owner'],
  parseReply: () => undefined,
});

export const ackArchived = defineScript({
  name: 'ackArchived',
  file: 'ackArchived.lua',
  keys: ['archive', 'retention'],
  args: ['group', 'now', 'resultTtl'],
  item: { keys: ['job', 'progress'], args: ['entryId'] },
  parseReply: (reply, fail) => integer(reply, fail),
});

export const removeIdleConsumers = defineScript({
  name: 'removeIdleConsumers',
  file: 'removeIdleConsumers-1.lua',
  keys: ['stream'],
  args: ['group', 'minIdle', 'except'],
  parseReply: (reply, fail) => texts(reply, fail),
});

export const trimRetention = defineScript({
  name: 'trimRetention',
  file: 'trimRetention.lua',
  keys: ['retention'],
  args: ['now'],
  item: { keys: ['job', 'userJobs', 'userActive', 'idempotency'], args: ['member', 'analysisId'] },
  parseReply: (reply, fail) => integer(reply, fail),
});

export const SCRIPTS = [
  deregisterConsumer,
  enqueueJobs,
  pruneActiveJobs,
  cancelJob,
  appendStageEvents,
  claimJobs,
  finishJobs,
  refreshClaims,
  retryJob,
  moveDueRetries,
  replayDeadLetter,
  trimStream,
  releaseRun,
  ackArchived,
  removeIdleConsumers,
  trimRetention,
  ...SCAN_SCRIPTS,
  ...ALERT_SCRIPTS,
  ...CACHE_SCRIPTS,
  ...ADMISSION_SCRIPTS,
  ...SCHEDULE_SCRIPTS,
] as const;
