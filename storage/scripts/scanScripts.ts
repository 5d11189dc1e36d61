/**
 * The scan scripts of the script table (storage/lua/createScan.lua, settleScanChildren.lua),
 * described like every other script: named KEYS and ARGV, and a reply parser.
 */
import { ADMISSION_KEYS } from './admissionScripts.js';
import { integer, list, oneOf, text, texts } from './replies.js';
import { defineScript } from './scriptDefinition.js';

/** The same shape as the enqueue script's at-cap reply, so the cap's prune-and-retry handles both. */
export interface ScanAtCap {
  outcome: 'at-cap';
  active: number;
  ids: string[];
}

export const SCAN_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;

export const createScan = defineScript({
  name: 'createScan',
  file: 'createScan.lua',
  keys: ['stream', 'scan', 'scanChildren', 'userScans', 'userActive', 'userJobs', ...ADMISSION_KEYS],
  args: [
    'scanId',
    'createdAt',
    'maxActive',
    'cost',
    'childrenAsJobs',
    'progressLogMax',
    'userId',
    'group',
    'admissionLimit',
    'event',
  ],
  lists: ['scanRecord'],
  item: { keys: ['job', 'progress'], args: ['analysisId'], lists: ['record'] },
  parseReply(reply, fail): { outcome: 'queued'; scanId: string } | ScanAtCap {
    const [outcome, ...rest] = list(reply, fail);
    const kind = oneOf(outcome, ['queued', 'at-cap'], fail);
    if (kind === 'queued') return { outcome: kind, scanId: text(rest[0], fail) };
    const [active, ...ids] = rest;
    return { outcome: 'at-cap', active: integer(active, fail), ids: texts(ids, fail) };
  },
});

export const settleScanChildren = defineScript({
  name: 'settleScanChildren',
  file: 'settleScanChildren.lua',
  keys: ['scan', 'settled', 'progress', 'userActive'],
  args: ['channel', 'now', 'progressLogMax', 'progressTtl'],
  item: { keys: ['job'], args: ['analysisId'] },
  parseReply(reply, fail) {
    const [status, done, total] = list(reply, fail);
    return {
      status: oneOf(status, [...SCAN_STATUSES, 'missing'], fail),
      done: integer(done, fail),
      total: integer(total, fail),
    };
  },
});

export const SCAN_SCRIPTS = [createScan, settleScanChildren] as const;
