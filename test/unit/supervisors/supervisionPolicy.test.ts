/** The restart policy as a pure decision: backoff, intensity and escalation on given times. */
import {
  decideOnCrash,
  NODE_CHILD_POLICIES,
  noRestarts,
  type RestartHistory,
  type RestartPolicy,
} from '../../../supervisors/supervisionPolicy.js';

const policy: RestartPolicy = { maxRestarts: 3, windowMs: 60_000, backoff: { initialMs: 100, maxMs: 300 } };

function crashes(times: number[]): ReturnType<typeof decideOnCrash>[] {
  let history: RestartHistory = noRestarts;
  return times.map((now) => {
    const decision = decideOnCrash(policy, history, now);
    history = decision.history;
    return decision;
  });
}

test('restarts with a backoff that doubles per recent restart, up to its cap', () => {
  expect(crashes([0, 1, 2]).map((decision) => decision.action === 'restart' && decision.delayMs)).toEqual([
    100, 200, 300,
  ]);
});

test('one crash more than the intensity allows within the window escalates', () => {
  const decisions = crashes([0, 10_000, 20_000, 30_000]);
  expect(decisions.map((decision) => decision.action)).toEqual(['restart', 'restart', 'restart', 'escalate']);
  expect(decisions[3]).toMatchObject({ restartsInWindow: 3 });
});

test('restarts older than the window age out: so many crashes spread out never escalate, and the backoff starts over', () => {
  const decisions = crashes([0, 30_000, 60_001, 90_002, 120_003]);
  expect(decisions.every((decision) => decision.action === 'restart')).toBe(true);
  const quiet = decideOnCrash(policy, decisions[4]!.history, 500_000);
  expect(quiet).toEqual({ action: 'restart', delayMs: 100, history: [500_000] });
});

test('every child of a worker node has a policy that restarts before it escalates', () => {
  for (const childPolicy of Object.values(NODE_CHILD_POLICIES)) {
    expect(decideOnCrash(childPolicy, noRestarts, 0).action).toBe('restart');
    expect(childPolicy.backoff.initialMs).toBeLessThanOrEqual(childPolicy.backoff.maxMs);
  }
});
