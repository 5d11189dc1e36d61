/** What every short chaos run in the test suite asserts, beside its own scenario's checks. */
import { expect } from '@jest/globals';
import type { ChaosFigures } from './chaosScenario.js';

/**
 * No invariant broken: no job lost, none ended twice, no healthy job dead-lettered as poison
 * (`failed_unexpected`; a poison letter the scenario explains by its kills is
 * `poison_expected`), and every job accounted for.
 */
export function expectNoLossNoDuplicates(figures: ChaosFigures): void {
  expect(figures.broken).toEqual([]);
  expect(figures.lost).toBe(0);
  expect(figures.completed_twice).toBe(0);
  expect(figures.failed_unexpected).toBe(0);
  expect(figures.queued).toBeGreaterThan(0);
  expect(figures.completed + figures.failed_expected + figures.poison_expected).toBe(figures.queued);
}
