/**
 * The heartbeat on a manual clock, writing to a real redis-server: it registers at once and
 * again each health-check interval of the clock (not of the wall), with the TTL it is given;
 * it counts finished jobs; a circuit change is written at once; stopped, it deregisters and
 * beats no more.
 */
import pino from 'pino';
import {
  type HeartbeatMessage,
  spawnHeartbeatActor,
  type WorkerMetricsSnapshot,
} from '../../../actors/heartbeatActor.js';
import {
  type ActorRef,
  ask,
  type ChildCrashed,
  send,
  spawnActor,
  startActorSystem,
} from '../../../actors/typedActor.js';
import { createKeys } from '../../../storage/keys.js';
import { manualClock } from '../../support/manualClock.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';
import { waitFor } from '../../support/waitFor.js';
import { eventually } from '../../support/candelaProcess.js';

const keys = createKeys();
const workerId = 'worker-test-1';
let redis: TestRedis;

beforeEach(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await redis.stop();
});

function setUp() {
  const system = startActorSystem(`heartbeat-${Math.random().toString(36).slice(2)}`);
  const clock = manualClock(1_000_000);
  const supervisor = spawnActor<null, ChildCrashed>(system.root, {
    name: 'supervisor',
    initialState: null,
    receive: (state) => state,
  });
  const heartbeat = spawnHeartbeatActor(system.root, {
    workerId,
    consumerNames: ['worker-test-1-c0'],
    redis: redis.client,
    keys,
    healthCheckMs: 30_000,
    registrationTtlSeconds: 90,
    metricsMs: 60_000,
    metricsTtlSeconds: 180,
    clock,
    log: pino({ level: 'silent' }),
    supervisor,
  });
  return { system, clock, heartbeat };
}

const registration = async () => {
  const text = await redis.client.get(keys.workerHeartbeat(workerId));
  return text === null
    ? undefined
    : (JSON.parse(text) as { last_seen: string; circuit_breaker_state: string; circuits: Record<string, string> });
};
const snapshot = (heartbeat: ActorRef<HeartbeatMessage>) =>
  ask(heartbeat, (replyTo: ActorRef<WorkerMetricsSnapshot>) => ({ type: 'metrics.snapshot' as const, replyTo }), 2000);

test('registers at once, then again each interval of its clock, with the TTL it was given', async () => {
  const { system, clock, heartbeat } = setUp();
  send(heartbeat, { type: 'heartbeat.beat' });
  const first = await eventually(registration, 5000, 'the first registration');
  expect(first.last_seen).toBe(new Date(1_000_000).toISOString());
  expect(await redis.client.ttl(keys.workerHeartbeat(workerId))).toBeGreaterThan(85);
  await waitFor(() => clock.pendingTimers() === 1, 5000, 'the next beat to be armed');
  clock.advance(30_000);
  const second = await eventually(
    async () => ((await registration())?.last_seen === new Date(1_030_000).toISOString() ? true : undefined),
    5000,
    'the second beat',
  );
  expect(second).toBe(true);
  system.shutdown();
});

test('counts finished jobs; a circuit change is written at once, without waiting for the next beat', async () => {
  const { system, heartbeat } = setUp();
  send(heartbeat, { type: 'heartbeat.beat' });
  await eventually(registration, 5000, 'the first registration');
  send(heartbeat, {
    type: 'jobs.finished',
    jobs: [
      { status: 'completed', durationMs: 100 },
      { status: 'cancelled', durationMs: 70 },
    ],
  });
  send(heartbeat, {
    type: 'jobs.finished',
    jobs: [
      { status: 'completed', durationMs: 300 },
      { status: 'failed', durationMs: 50 },
    ],
  });
  expect(await snapshot(heartbeat)).toMatchObject({ analyses_processed: 2, errors_total: 1, avg_processing_time: 200 });
  send(heartbeat, {
    type: 'circuit.changed',
    state: 'open',
    circuits: { 'market-data': 'open', llm: 'closed', store: 'closed' },
  });
  await eventually(
    async () => ((await registration())?.circuit_breaker_state === 'open' ? true : undefined),
    5000,
    'the circuit change',
  );
  expect((await registration())?.circuits).toEqual({ 'market-data': 'open', llm: 'closed', store: 'closed' });
  system.shutdown();
});

test('stopped, it deregisters at once and beats no more', async () => {
  const { system, clock, heartbeat } = setUp();
  send(heartbeat, { type: 'heartbeat.beat' });
  await eventually(registration, 5000, 'the first registration');
  expect(
    await ask(heartbeat, (replyTo: ActorRef<boolean>) => ({ type: 'heartbeat.stop' as const, replyTo }), 2000),
  ).toBe(true);
  expect(await registration()).toBeUndefined();
  clock.advance(30_000);
  // One more message through the actor: the beat the clock fired has been handled before it.
  await snapshot(heartbeat);
  expect(await registration()).toBeUndefined();
  system.shutdown();
});
