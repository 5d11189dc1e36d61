/** The median by selection equals the middle of the sorted values, duplicates and all. */
import fc from 'fast-check';
import { selectMedian } from '../../../analysis/chartPatterns/selectMedian.js';

function sortedMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

test('selectMedian equals the sorted median on any values, few distinct or many', () => {
  // −0 is left out: a return is never −0, and the two medians may pick either zero.
  const value = fc
    .oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
    .map((v) => (v === 0 ? 0 : v));
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => {
      expect(selectMedian(Float64Array.from(values))).toBe(sortedMedian(values));
    }),
    { numRuns: 2000 },
  );
});

test('sorted, reversed and constant input', () => {
  const ramp = Array.from({ length: 1001 }, (_, k) => k);
  expect(selectMedian(Float64Array.from(ramp))).toBe(500);
  expect(selectMedian(Float64Array.from(ramp.reverse()))).toBe(500);
  expect(selectMedian(new Float64Array(1000).fill(7))).toBe(7);
  expect(selectMedian(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
});
