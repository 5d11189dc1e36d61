/** The generators of the fuzzing suite: hostile strings, path segments, bodies, identities and tRPC calls. */
import fc from 'fast-check';

/** Percent-encodes the UTF-8 bytes (lone surrogates included, which encodeURIComponent refuses). */
export function percentEncode(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8'))
    encoded += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return encoded;
}

export const VALID_ID = 'analysis_01JABCDEFGHJKMNPQRSTVWXYZ01';

/** Strings that have broken parsers before: path tricks, NUL, percent garbage, unicode, sizes at and past limits. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../',
    '../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    '%2e%2e',
    '%2e%2e%2f%2e%2e%2f',
    '%00',
    '\u0000',
    'a\u0000b',
    '%',
    '%zz',
    '%ff%fe',
    '%c0%ae%c0%ae',
    '\ud800',
    '💥🚀',
    'Ω≈ç√∫',
    '<script>alert(1)</script>',
    "'; DROP TABLE jobs; --",
    '*',
    '{market-analysis-jobs}:job:x',
    'alice:x',
    '__proto__',
    'constructor',
    'BTCUSDT',
    'btcusdt',
    '1h',
    '7d',
    '0d',
    '999999y',
    VALID_ID,
    `${VALID_ID}/../${VALID_ID}`,
    'analysis_00000000000000000000000000',
    '99999999999999999999-0',
    '1700000000000-0',
  ),
  fc.integer({ min: 1, max: 70_000 }).map((length) => 'A'.repeat(length)),
);

/** A path segment: sometimes encoded, sometimes raw (the server must survive both). */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  nastyString.map((value) => percentEncode(value.slice(0, 8000))),
  nastyString.map((value) => value.slice(0, 200).replace(/[\s\r\n]/g, '')),
  fc.constantFrom('BTCUSDT', '1h', VALID_ID, '..', '.', '%2e%2e', '%2F', '%00'),
);

/** Any JSON value, including hostile keys and deep nesting. */
export const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom(
      'user_id',
      'timeframe',
      'idempotency_key',
      'analysis_id',
      'limit',
      'offset',
      'lastEventId',
      'all',
      '__proto__',
      'constructor',
    ),
    fc.oneof(nastyString, fc.jsonValue({ maxDepth: 2 })),
  ),
  fc.integer({ min: 1, max: 600 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

/** A request body as bytes on the wire: JSON, broken JSON, wrong shapes, oversized. */
export const bodyText: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  jsonish.map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom(
    '{',
    '{"user_id":',
    '{"a":1,}',
    "{'a':1}",
    'null',
    '[]',
    '"text"',
    'NaN',
    '\u0000',
    '{"user_id":"alice"}garbage',
    '\ufeff{}',
  ),
  fc.integer({ min: 16_000, max: 40_000 }).map((size) => JSON.stringify({ timeframe: 'x'.repeat(size) })),
);

export const contentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'APPLICATION/JSON',
  'application/jsonx',
  '',
);

export const identityLabels = [
  'alice',
  'admin',
  'none',
  'garbage',
  'wrong-signature',
  'expired',
  'no-exp',
  'alg-none',
  'bad-subject',
  'huge',
  'spaces',
] as const;
export type IdentityLabel = (typeof identityLabels)[number];

/** The Authorization header of an identity, or garbage made up on the spot. */
export function authorization(tokens: Record<IdentityLabel, string | undefined>): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    // A valid token half the time, so requests also get past authentication to validation and the resolvers.
    { weight: 4, arbitrary: fc.constantFrom(tokens.alice, tokens.admin) },
    fc.constantFrom(...identityLabels).map((label) => tokens[label]),
    fc.string({ maxLength: 60 }).map((text) => `Bearer ${text}`.replace(/[\r\n]/g, '')),
    fc.constantFrom('Bearer', 'Bearer ', 'bearer\t', 'Basic YWxpY2U6c2VjcmV0', 'Bearer a.b.c', 'Bearer ...', 'Token x'),
    fc.integer({ min: 10, max: 12_000 }).map((count) => `Bearer${' '.repeat(count)}x`),
  );
}

export const PROCEDURES = [
  ['analysis.queue', 'mutation'],
  ['analysis.immediate', 'mutation'],
  ['analysis.status', 'query'],
  ['analysis.list', 'query'],
  ['analysis.cancel', 'mutation'],
  ['analysis.progress', 'subscription'],
  ['queue.stats', 'query'],
  ['queue.deadLetters', 'query'],
  ['queue.replay', 'mutation'],
  ['workers.list', 'query'],
] as const;

/** An input near the procedure's real shape, with hostile values in its fields. */
export const procedureInput: fc.Arbitrary<unknown> = fc.oneof(
  jsonish,
  fc.record(
    {
      symbol: fc.oneof(fc.constant('BTCUSDT'), nastyString),
      interval: fc.oneof(fc.constant('1h'), nastyString),
      timeframe: fc.oneof(fc.constant('7d'), nastyString, fc.integer()),
      analysis_id: fc.oneof(fc.constant(VALID_ID), nastyString, fc.integer()),
      user_id: fc.oneof(
        fc.constant('alice'),
        nastyString,
        fc.integer(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 2 }),
      ),
      idempotency_key: nastyString,
      limit: fc.oneof(fc.integer(), fc.double(), nastyString),
      offset: fc.oneof(fc.integer(), fc.constant(1e300)),
      lastEventId: nastyString,
      all: fc.oneof(fc.boolean(), fc.constant('true')),
    },
    { requiredKeys: [] },
  ),
);

export const procedurePath: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PROCEDURES.map(([name]) => name)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'analysis',
      'nope.nothing',
      '__proto__.constructor',
      'analysis.__proto__',
      '..%2fhealth',
      'analysis.list%00',
      '',
      'queue..stats',
    ),
  },
  { weight: 1, arbitrary: nastyString.map((value) => percentEncode(value.slice(0, 300))) },
);
