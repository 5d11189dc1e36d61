/** The published progress envelope is parsed and checked, not recognised by its first bytes. */
import { parseProgressEvent, parsePublishedProgress } from '../../../storage/progressEvent.js';

const event = { status: 'processing', stage: 'chart', progress: 0.7, message: 'chart drawn', at: 1_700_000_000_000 };

test('a well-formed envelope parses, whatever the order of its fields', () => {
  const text = JSON.stringify({ event, event_id: '1-0', analysis_id: 'analysis_X' });
  expect(parsePublishedProgress(text)).toEqual({ analysis_id: 'analysis_X', event_id: '1-0', event });
});

test('a terminal event keeps its data', () => {
  const final = { ...event, status: 'completed', stage: 'finished', progress: 1, data: { patterns: [] } };
  expect(
    parsePublishedProgress(JSON.stringify({ analysis_id: 'a', event_id: '2-0', event: final }))?.event.data,
  ).toEqual({ patterns: [] });
});

test.each([
  ['not JSON', '{"analysis_id":"a"'],
  ['a prefix that merely looks right', '{"analysis_id":"a","event_id":"1-0"}'],
  ['an unknown status', JSON.stringify({ analysis_id: 'a', event_id: '1-0', event: { ...event, status: 'exploded' } })],
  [
    'a progress that is text',
    JSON.stringify({ analysis_id: 'a', event_id: '1-0', event: { ...event, progress: '0.5' } }),
  ],
  ['an id that is a number', JSON.stringify({ analysis_id: 7, event_id: '1-0', event })],
  ['data that is a list', JSON.stringify({ analysis_id: 'a', event_id: '1-0', event: { ...event, data: [] } })],
])('%s is refused', (_what, text) => {
  expect(parsePublishedProgress(text)).toBeUndefined();
});

test('an event alone is checked the same way', () => {
  expect(parseProgressEvent(event)).toEqual(event);
  expect(parseProgressEvent({ ...event, stage: 'cooking' })).toBeUndefined();
});
