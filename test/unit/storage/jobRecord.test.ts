/** Reading job hashes back: a missing job is no job; a broken record is reported with its id and counted. */
import { corruptJobRecords } from '../../../storage/corruptRecords.js';
import { parseHistory } from '../../../storage/jobAttempts.js';
import { CLAIMED_FIELDS, pairValue, recordFromHash, recordFromValues } from '../../../storage/jobRecord.js';

const count = async (field: string) =>
  (await corruptJobRecords.get()).values.find((value) => value.labels.field === field)?.value ?? 0;
const hash = {
  analysis_id: 'analysis_1',
  user_id: 'alice',
  symbol: 'BTCUSDT',
  interval: '1h',
  timeframe: '7d',
  status: 'completed',
  created_at: '1',
  updated_at: '2',
  attempts: '0',
};

test('an empty hash is no job, and nothing is counted', async () => {
  const before = await count('status');
  expect(recordFromHash({}, 'analysis_x')).toBeUndefined();
  expect(await count('status')).toBe(before);
});

test('a record with an unknown status is counted as corrupt, not read as a job', async () => {
  const before = await count('status');
  expect(recordFromHash({ ...hash, status: 'exploded' })).toBeUndefined();
  expect(await count('status')).toBe(before + 1);
});

test('analysis_data that is not JSON is counted; the rest of the record still reads', async () => {
  const before = await count('analysis_data');
  expect(recordFromHash({ ...hash, analysis_data: '{not json' })).toMatchObject({
    analysis_id: 'analysis_1',
    status: 'completed',
    analysis_data: null,
  });
  expect(await count('analysis_data')).toBe(before + 1);
});

test('a history that is not a list of attempts is counted; an empty one written by cjson is not', async () => {
  const before = await count('history');
  expect(parseHistory('{}', 'analysis_1')).toEqual([]);
  expect(parseHistory('[{"attempt":1,"at":5,"error":"boom","node":"c1"}]', 'analysis_1')).toHaveLength(1);
  expect(await count('history')).toBe(before);
  expect(parseHistory('[1,2]', 'analysis_1')).toEqual([]);
  expect(await count('history')).toBe(before + 1);
});

/** A claim's reply for a hash: its kind, then the claimed fields' values (null when absent). */
const claimReply = (job: Record<string, string>) => ['claimed', ...CLAIMED_FIELDS.map((field) => job[field] ?? null)];

test("a record read from a claim's values is the one read from the hash, times and scan id included", () => {
  const full = {
    ...hash,
    error: 'boom',
    analysis_data: '{"a":1}',
    candles_until: '5',
    scan_id: 'scan_1',
    owner: 'c:1',
  };
  const read = recordFromValues(claimReply(full), 1);
  expect(read.record).toEqual({ ...recordFromHash(full), analysis_data: null });
  expect(read.scanId).toBe('scan_1');
  expect(recordFromValues(claimReply(hash), 1).scanId).toBeUndefined();
  // The same epoch read again, then another one: each field's remembered ISO text follows its value.
  expect(recordFromValues(claimReply(full), 1).record?.created_at).toBe(new Date(1).toISOString());
  const later = recordFromValues(claimReply({ ...full, created_at: '3000' }), 1).record;
  expect(later?.created_at).toBe(new Date(3000).toISOString());
  expect(later?.updated_at).toBe(new Date(2).toISOString());
});

test('no values is no job; values without an id or status are corrupt, as a hash is', () => {
  expect(recordFromValues(claimReply({}), 1, 'analysis_x').record).toBeUndefined();
  expect(recordFromValues(claimReply({ status: 'queued' }), 1, 'analysis_x').record).toBeUndefined();
  expect(recordFromValues(claimReply({ ...hash, status: 'exploded' }), 1).record).toBeUndefined();
});

test("a claim does not read a record's results: a job that can be claimed has none", () => {
  expect(CLAIMED_FIELDS).not.toContain('llm_summary');
  const withResults = { ...hash, image_url: '/charts/x.png', llm_summary: 'up', summary_source: 'llm' };
  expect(recordFromValues(claimReply(withResults), 1).record).toEqual(recordFromHash(hash));
});

test('values read as Buffers give the same record', () => {
  const full = { ...hash, error: 'ünïcode', scan_id: 'scan_1' };
  const buffers = claimReply(full).map((value) => (value === null ? null : Buffer.from(value)));
  expect(recordFromValues(buffers, 1)).toEqual(recordFromValues(claimReply(full), 1));
  expect(recordFromValues(buffers, 1).record).toEqual(recordFromHash(full));
});

test('a field read from Buffer pairs by name', () => {
  const pairs = ['analysis_id', 'analysis_1', 'scan_id', 'scan_1', 'timeframe', '7d'].map((text) => Buffer.from(text));
  expect(pairValue(pairs, 'scan_id')).toBe('scan_1');
  expect(pairValue(pairs, 'timeframe')).toBe('7d');
  expect(pairValue(pairs, 'owner')).toBeUndefined();
});
