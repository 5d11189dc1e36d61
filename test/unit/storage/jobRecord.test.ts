/** Reading job hashes back: a missing job is no job; a broken record is reported with its id and counted. */
import { corruptJobRecords } from '../../../storage/corruptRecords.js';
import { parseHistory } from '../../../storage/jobAttempts.js';
import {
  pairValue,
  recordFromHash,
  recordFromPairs,
  resultFields,
  resultJsonFromFields,
} from '../../../storage/jobRecord.js';

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

test("a result's JSON built from its fields is JSON.stringify's text, undefined values and escapes included", () => {
  const result = {
    image_url: '/charts/a "quoted" name.svg',
    llm_summary: undefined,
    summary_source: 'rule-based' as const,
    analysis_data: { patterns: [{ name: 'doji\n', at: 3, confidence: 0.5 }], trend: null, note: undefined },
  };
  const fields = resultFields(result);
  expect(resultJsonFromFields(result, fields)).toBe(JSON.stringify(result));
  expect(resultJsonFromFields({ error: 'boom' }, resultFields({ error: 'boom' }))).toBe('{"error":"boom"}');
  expect(resultJsonFromFields({}, resultFields({}))).toBe('{}');
});

test('a record read from HGETALL pairs is the one read from the hash, times included', () => {
  const full = {
    ...hash,
    error: 'boom',
    analysis_data: '{"a":1}',
    candles_until: '5',
    scan_id: 'scan_1',
    owner: 'c:1',
  };
  const pairs = ['claimed', ...Object.entries(full).flat()];
  expect(recordFromPairs(pairs, 1)).toEqual(recordFromHash(full));
  // The same epoch read again, then another one: each field's remembered ISO text follows its value.
  expect(recordFromPairs(pairs, 1)?.created_at).toBe(new Date(1).toISOString());
  const later = recordFromPairs(['claimed', ...Object.entries({ ...full, created_at: '3000' }).flat()], 1);
  expect(later?.created_at).toBe(new Date(3000).toISOString());
  expect(later?.updated_at).toBe(new Date(2).toISOString());
  expect(pairValue(pairs, 'scan_id', 1)).toBe('scan_1');
  expect(pairValue(pairs, 'claimed', 1)).toBeUndefined();
});

test('no pairs is no job; pairs without an id or status are corrupt, as a hash is', () => {
  expect(recordFromPairs(['claimed'], 1, 'analysis_x')).toBeUndefined();
  expect(recordFromPairs(['claimed', 'status', 'queued'], 1, 'analysis_x')).toBeUndefined();
  expect(recordFromPairs(['claimed', ...Object.entries({ ...hash, status: 'exploded' }).flat()], 1)).toBeUndefined();
});

test('pairs read as Buffers give the same record; fields a record does not hold are skipped', () => {
  const full = { ...hash, owner: 'c:1', llm_summary: 'ünïcode', scan_id: 'scan_1', takeovers: '1' };
  const texts = ['claimed', ...Object.entries(full).flat()];
  const buffers = texts.map((text) => Buffer.from(text));
  expect(recordFromPairs(buffers, 1)).toEqual(recordFromPairs(texts, 1));
  expect(recordFromPairs(buffers, 1)).toEqual(recordFromHash(full));
  expect(pairValue(buffers, 'scan_id', 1)).toBe('scan_1');
  expect(pairValue(buffers, 'timeframe', 1)).toBe('7d');
});
