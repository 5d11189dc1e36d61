/** The circuit breaker state machine and the board, on a manual clock: no real waiting. */
import type { Clock } from '../../../actors/clock.js';
import {
  closedBreaker,
  elapse,
  recordFailure,
  recordSuccess,
  tryPass,
  worstState,
} from '../../../pipeline/circuitBreaker.js';
import { createCircuitBoard } from '../../../supervisors/circuitBoard.js';

const settings = { failureThreshold: 5, resetTimeoutMs: 60_000 };

function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, after: () => () => undefined, advance: (ms) => (now += ms) };
}

test('five consecutive failures open it; a success in between starts the count again', () => {
  let breaker = closedBreaker;
  for (let index = 0; index < 4; index += 1) breaker = recordFailure(breaker, 0, settings);
  breaker = recordSuccess(breaker, 0, settings);
  for (let index = 0; index < 4; index += 1) breaker = recordFailure(breaker, 0, settings);
  expect(breaker.state).toBe('closed');
  breaker = recordFailure(breaker, 10, settings);
  expect(breaker).toMatchObject({ state: 'open', openedAt: 10 });
  expect(tryPass(elapse(breaker, 10 + 59_999, settings)).allowed).toBe(false);
});

test('after the reset timeout it is half-open and lets exactly one trial through; success closes it', () => {
  let breaker = closedBreaker;
  for (let index = 0; index < 5; index += 1) breaker = recordFailure(breaker, 0, settings);
  expect(tryPass(breaker).allowed).toBe(false);
  const first = tryPass(elapse(breaker, 60_000, settings));
  expect(first).toMatchObject({ allowed: true, breaker: { state: 'half-open', trialInFlight: true } });
  expect(tryPass(elapse(first.breaker, 60_001, settings)).allowed).toBe(false);
  expect(recordSuccess(first.breaker, 60_002, settings)).toEqual(closedBreaker);
});

test('a failed trial opens it again, for another full reset timeout', () => {
  let breaker = closedBreaker;
  for (let index = 0; index < 5; index += 1) breaker = recordFailure(breaker, 0, settings);
  breaker = tryPass(elapse(breaker, 60_000, settings)).breaker;
  breaker = recordFailure(breaker, 61_000, settings);
  expect(breaker).toMatchObject({ state: 'open', openedAt: 61_000 });
  expect(tryPass(elapse(breaker, 120_999, settings)).allowed).toBe(false);
  expect(tryPass(elapse(breaker, 121_000, settings)).allowed).toBe(true);
});

test('a late success while open does not close it', () => {
  let breaker = closedBreaker;
  for (let index = 0; index < 5; index += 1) breaker = recordFailure(breaker, 0, settings);
  expect(recordSuccess(breaker, 1_000, settings).state).toBe('open');
});

test('the board keeps one breaker per dependency and reports each change once', () => {
  const clock = manualClock();
  const board = createCircuitBoard(settings, clock);
  const changes = [];
  for (let index = 0; index < 5; index += 1) changes.push(board.record('market-data', false));
  expect(changes.filter(Boolean)).toEqual([
    { dependency: 'market-data', from: 'closed', to: 'open', consecutiveFailures: 5, retryInMs: 60_000 },
  ]);
  expect(board.snapshot()).toEqual({ 'market-data': 'open', llm: 'closed', store: 'closed' });
  expect(board.worst()).toBe('open');
  expect(board.elapse('market-data')).toBeUndefined();
  clock.advance(59_999);
  expect(board.tryPass('market-data')).toBe(false);
  clock.advance(1);
  expect(board.elapse('market-data')).toMatchObject({ from: 'open', to: 'half-open' });
  expect(board.tryPass('market-data')).toBe(true);
  expect(board.tryPass('market-data')).toBe(false);
  expect(board.record('market-data', true)).toMatchObject({ from: 'half-open', to: 'closed' });
  expect(board.worst()).toBe('closed');
});

test('the worst state across dependencies is what the metrics show', () => {
  expect(worstState(['closed', 'half-open', 'closed'])).toBe('half-open');
  expect(worstState(['half-open', 'open'])).toBe('open');
  expect(worstState([])).toBe('closed');
});
