import { newAnalysisId, newUlid } from '../../../storage/analysisId.js';
import { analysisIdSchema } from '../../../router/schemas.js';

test('ids are ULIDs: 26 Crockford base32 characters, sortable by time', () => {
  const earlier = newUlid(Date.UTC(2026, 0, 1));
  const later = newUlid(Date.UTC(2026, 0, 1) + 1);
  expect(earlier).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(earlier < later).toBe(true);
  // The ULID spec's example id 01ARZ3NDEKTSV4RRFFQ69G5FAV encodes 1469922850259 ms.
  expect(newUlid(1469922850259).slice(0, 10)).toBe('01ARZ3NDEK');
});

test('analysis ids pass the API schema and do not repeat', () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => newAnalysisId()));
  expect(ids.size).toBe(10_000);
  for (const id of [...ids].slice(0, 50)) expect(analysisIdSchema.safeParse(id).success).toBe(true);
});
