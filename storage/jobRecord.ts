/** The job record, as stored in the job hash and as returned to clients. */
import { reportCorruptRecord } from './corruptRecords.js';
import type { QueueKeys } from './keys.js';
import type { RedisClient } from './redisConnection.js';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export type SummarySource = 'llm' | 'rule-based';

export interface JobRequest {
  user_id: string;
  symbol: string;
  interval: string;
  timeframe: string;
}

export interface JobRecord extends JobRequest {
  analysis_id: string;
  status: JobStatus;
  created_at: string;
  updated_at: string;
  attempts: number;
  error: string | null;
  image_url: string | null;
  llm_summary: string | null;
  summary_source: SummarySource | null;
  analysis_data: unknown;
  /** Set on a scheduled scan's children: only candles opening before this (epoch ms), the closed ones, are analysed. */
  candles_until?: number;
}

/** Fields the worker writes when it finishes a job. */
export interface JobResult {
  image_url?: string;
  llm_summary?: string;
  summary_source?: SummarySource;
  analysis_data?: unknown;
  error?: string;
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

const iso = (epochMs: string | undefined) => new Date(Number(epochMs ?? 0)).toISOString();

/**
 * iso() remembering its last answer: a claim batch reads jobs queued in the same milliseconds
 * and stamped `updated_at` with one `now`, and a Date plus its ISO text per field per job was
 * a measurable share of the worker's CPU per job.
 */
function rememberingIso(): (epochMs: string | undefined) => string {
  let lastEpoch: string | undefined;
  let lastIso = '';
  return (epochMs) => {
    if (epochMs !== lastEpoch || lastIso === '') {
      lastIso = iso(epochMs);
      lastEpoch = epochMs;
    }
    return lastIso;
  };
}
const createdIso = rememberingIso();
const updatedIso = rememberingIso();
const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

function parseAnalysisData(text: string | undefined, analysisId: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    reportCorruptRecord(analysisId, 'analysis_data', text.slice(0, 200));
    return null;
  }
}

const isStatus = (value: string): value is JobStatus => (JOB_STATUSES as readonly string[]).includes(value);

/**
 * The record in a job hash; undefined for an empty hash (no such job). A hash that exists but
 * is not a job record (no id, no or an unknown status) is reported as corrupt and read as no job;
 * `analysisId` names it in that report when the hash lacks its own id.
 */
export function recordFromHash(hash: Record<string, string>, analysisId?: string): JobRecord | undefined {
  return recordFromFields(hash, analysisId, Object.keys(hash).length === 0);
}

/** The job's record as Redis holds it now (see recordFromHash). */
export async function readJobRecord(
  redis: RedisClient,
  keys: QueueKeys,
  analysisId: string,
): Promise<JobRecord | undefined> {
  return recordFromHash(await redis.hgetall(keys.job(analysisId)), analysisId);
}

/** A reply's bulk string: text, or a Buffer when the script's reply is read as Buffers. */
export type ReplyText = string | Buffer;

const RECORD_FIELDS = [
  'analysis_id',
  'user_id',
  'symbol',
  'interval',
  'timeframe',
  'status',
  'created_at',
  'updated_at',
  'attempts',
  'error',
  'image_url',
  'llm_summary',
  'summary_source',
  'analysis_data',
  'candles_until',
] as const;
type RecordField = (typeof RECORD_FIELDS)[number];
/** The known names, a record's fields then scan_id, by their index in KNOWN_NAMES. */
const KNOWN_NAMES: readonly string[] = [...RECORD_FIELDS, 'scan_id'];
/** What a finish writes: a job that can be claimed (queued, or processing and taken over) has none. */
const RESULT_FIELDS: readonly RecordField[] = ['image_url', 'llm_summary', 'summary_source', 'analysis_data'];
/**
 * The fields a claim reads back, in this order (claimJobs.lua's HMGET): a record's but its
 * results, then scan_id. Redis searches the record once per name, so the names it cannot hold
 * are not asked for.
 */
export const CLAIMED_FIELDS: readonly string[] = [
  ...RECORD_FIELDS.filter((name) => !RESULT_FIELDS.includes(name)),
  'scan_id',
];
function claimedAt(name: RecordField | 'scan_id'): number {
  const index = CLAIMED_FIELDS.indexOf(name);
  if (index < 0) throw new Error(`${name} is not a claimed field`);
  return index;
}
const CLAIMED = {
  analysis_id: claimedAt('analysis_id'),
  user_id: claimedAt('user_id'),
  symbol: claimedAt('symbol'),
  interval: claimedAt('interval'),
  timeframe: claimedAt('timeframe'),
  status: claimedAt('status'),
  created_at: claimedAt('created_at'),
  updated_at: claimedAt('updated_at'),
  attempts: claimedAt('attempts'),
  error: claimedAt('error'),
  candles_until: claimedAt('candles_until'),
  scan_id: claimedAt('scan_id'),
};
const indexByName = new Map(KNOWN_NAMES.map((name, index) => [name, index]));

/** Field names as bytes, by length, so a Buffer reply's names are matched without turning each into text. */
const namesByLength = new Map<number, { index: number; bytes: Buffer }[]>();
KNOWN_NAMES.forEach((name, index) => {
  const bytes = Buffer.from(name);
  const same = namesByLength.get(bytes.length) ?? [];
  same.push({ index, bytes });
  namesByLength.set(bytes.length, same);
});

function sameBytes(a: Buffer, b: Buffer): boolean {
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** The index in KNOWN_NAMES of the name (a record field or scan_id), or -1 for any other. */
function knownName(name: ReplyText | undefined): number {
  if (name === undefined) return -1;
  if (typeof name === 'string') return indexByName.get(name) ?? -1;
  const candidates = namesByLength.get(name.length);
  if (candidates) for (const candidate of candidates) if (sameBytes(name, candidate.bytes)) return candidate.index;
  return -1;
}

const textOf = (value: ReplyText | undefined): string =>
  value === undefined ? '' : typeof value === 'string' ? value : value.toString();

/**
 * As recordFromHash, from the values of CLAIMED_FIELDS in their order (from `from` on; null
 * for a field the hash lacks), with the job's scan id: what a claim reads per claimed job.
 * Positional: the field names neither cross the wire nor need matching. The result fields are
 * not claimed, so they read as none.
 */
export function recordFromValues(
  values: readonly (ReplyText | null)[],
  from: number,
  analysisId?: string,
): { record: JobRecord | undefined; scanId: string | undefined } {
  const at = (index: number): string | undefined => {
    const value = values[from + index];
    return value === null || value === undefined ? undefined : textOf(value);
  };
  const fields: RecordFields = {
    analysis_id: at(CLAIMED.analysis_id),
    user_id: at(CLAIMED.user_id),
    symbol: at(CLAIMED.symbol),
    interval: at(CLAIMED.interval),
    timeframe: at(CLAIMED.timeframe),
    status: at(CLAIMED.status),
    created_at: at(CLAIMED.created_at),
    updated_at: at(CLAIMED.updated_at),
    attempts: at(CLAIMED.attempts),
    error: at(CLAIMED.error),
    candles_until: at(CLAIMED.candles_until),
  };
  const empty = fields.analysis_id === undefined && fields.status === undefined;
  return { record: recordFromFields(fields, analysisId, empty), scanId: at(CLAIMED.scan_id) };
}

/** The fields of a job hash a record is read from. */
type RecordFields = { [F in RecordField]?: string | undefined };

function recordFromFields(hash: RecordFields, analysisId: string | undefined, empty: boolean): JobRecord | undefined {
  const id = hash.analysis_id ?? analysisId ?? 'unknown';
  if (empty) return undefined;
  if (!hash.analysis_id) {
    reportCorruptRecord(id, 'analysis_id', 'missing');
    return undefined;
  }
  if (!hash.status || !isStatus(hash.status)) {
    reportCorruptRecord(id, 'status', hash.status ?? 'missing');
    return undefined;
  }
  const record: JobRecord = {
    analysis_id: hash.analysis_id,
    user_id: hash.user_id ?? '',
    symbol: hash.symbol ?? '',
    interval: hash.interval ?? '',
    timeframe: hash.timeframe ?? '',
    status: hash.status,
    created_at: createdIso(hash.created_at),
    updated_at: updatedIso(hash.updated_at),
    attempts: Number(hash.attempts ?? 0),
    error: orNull(hash.error),
    image_url: orNull(hash.image_url),
    llm_summary: orNull(hash.llm_summary),
    summary_source: orNull(hash.summary_source) as SummarySource | null,
    analysis_data: parseAnalysisData(hash.analysis_data, hash.analysis_id),
  };
  // Set afterwards: a conditional spread in the literal made V8 build every record the slow way.
  if (hash.candles_until) record.candles_until = Number(hash.candles_until);
  return record;
}

/** Flat field/value pairs for HSET; analysis_data is stored as JSON text. */
export function resultFields(result: JobResult): string[] {
  const fields: string[] = [];
  // Keys, not entries: a [field, value] array per field per finished job is garbage for nothing.
  for (const field of Object.keys(result)) {
    const value: unknown = (result as Record<string, unknown>)[field];
    if (value === undefined) continue;
    // Every field but analysis_data is text by its type; anything else (numbers) as its JSON text.
    fields.push(field, field !== 'analysis_data' && typeof value === 'string' ? value : JSON.stringify(value));
  }
  return fields;
}

/** Field/value pairs from `from` on (a reply may lead with something else) as a hash. */
export function pairsToHash(pairs: readonly string[], from = 0): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let index = from; index + 1 < pairs.length; index += 2) hash[pairs[index]!] = pairs[index + 1]!;
  return hash;
}

/** One field's value among field/value pairs (from `from` on), without building the hash; Buffer names match only a record's fields and scan_id. */
export function pairValue(pairs: readonly ReplyText[], field: string, from = 0): string | undefined {
  const wanted = indexByName.get(field);
  for (let index = from; index + 1 < pairs.length; index += 2) {
    const name = pairs[index]!;
    if (typeof name === 'string' ? name === field : wanted !== undefined && knownName(name) === wanted)
      return textOf(pairs[index + 1]);
  }
  return undefined;
}
