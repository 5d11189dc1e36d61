/**
 * The scripts put status, stage and analysis (or scan) ids into event JSON between quotes without
 * escaping them: every word they can be holds nothing JSON would escape.
 */
import { newAnalysisId } from '../../../storage/analysisId.js';
import { JOB_STATUSES } from '../../../storage/jobRecord.js';
import { newScanId } from '../../../storage/scans/scanId.js';
import { eventJson, PROGRESS_STAGES, progressEvent } from '../../../storage/progressEvent.js';

const PLAIN = /^[A-Za-z0-9_-]+$/;

test('every status, stage and analysis id is plain text', () => {
  for (const word of [...JOB_STATUSES, ...PROGRESS_STAGES]) expect(word).toMatch(PLAIN);
  for (const partition of [0, 1, 9999]) {
    expect(newAnalysisId(undefined, partition)).toMatch(PLAIN);
    expect(newScanId(undefined, partition)).toMatch(PLAIN);
  }
});

test('an event with a status or stage outside the vocabularies is refused before it reaches a script', () => {
  const event = progressEvent('processing', 'chart', 0.5, 'drawing');
  expect(() => eventJson({ ...event, status: 'done"' as never })).toThrow(RangeError);
  expect(() => eventJson({ ...event, stage: 'chart\\' as never })).toThrow(RangeError);
  expect(JSON.parse(eventJson(event))).toEqual(event);
});
