/**
 * One death counts once, against a real redis-server and a real consumer actor: a consumer
 * can be handed the same taken-over entry twice before its claim of it has come back (two
 * reclaim sweeps, or a sweep and the consumer's own pending read at its start). Claiming it
 * twice put the consumer's own first run in doubt while that run went on under the second
 * claim, so when the worker then died, its one death counted as two crashed runs.
 */
import pino from 'pino';
import { spawnConsumerActor, type ConsumerMessage, type ConsumerStatus } from '../../../actors/consumerActor.js';
import { openGate } from '../../../actors/dependencyGate.js';
import type { JobActorFactory } from '../../../actors/jobActorFactory.js';
import type { JobMessage } from '../../../actors/jobActor.js';
import { ask, type ActorRef, send, spawnActor, startActorSystem } from '../../../actors/typedActor.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { createConsumerQueue, type StreamEntry } from '../../../storage/consumerQueue.js';
import { createJobQueue, ensureConsumerGroup } from '../../../storage/jobQueue.js';
import { createKeys } from '../../../storage/keys.js';
import { manualClock } from '../../support/manualClock.js';
import { startRedis, type TestRedis } from '../../support/redisServer.js';
import { waitFor } from '../../support/waitFor.js';

const keys = createKeys();
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
  await ensureConsumerGroup(redis.client, keys);
});
afterAll(async () => {
  await redis.stop();
});

/** Three dead runs are poison: the dead first worker's and the second worker's one run make two. */
const MAX_DELIVERIES = 3;
const queue = () => createConsumerQueue(redis.client, keys, { maxDeliveries: MAX_DELIVERIES });
/** Consumers named as worker nodes name them: `{worker}-c{n}`. */
const FIRST = 'worker-host-a-101-c0';
const SECOND = 'worker-host-b-202-c0';
const THIRD = 'worker-host-c-303-c0';
const processOf = (token: string) => /^(.*)-c\d+:/.exec(token)?.[1];

/** Job actors that run until aborted: the worker dies while they run. */
function hangingJobs(started: string[]): JobActorFactory {
  return (parent, options) =>
    spawnActor<null, JobMessage>(parent, {
      name: options.record.analysis_id.toLowerCase(),
      initialState: null,
      receive(state, message) {
        if (message.type === 'job.start') started.push(options.record.analysis_id);
        return state;
      },
    });
}

test('a consumer handed the same taken-over entry twice claims it once, so its death counts as one crashed run', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '7d',
  });
  // The first worker claims the job and dies with it.
  const reader = redis.client.duplicate();
  const read = await queue().readNew(reader, FIRST, 10, 100);
  reader.disconnect();
  expect((await queue().claimBatch(read, () => `${FIRST}:1`, FIRST)).claimed).toHaveLength(1);

  // The second worker's reclaimer takes the idle entry over for its consumer.
  const { entries } = await queue().takeOverIdle(SECOND, 0, 10, '0-0');
  const taken: StreamEntry[] = entries.filter((entry) => entry.analysisId === analysisId);
  expect(taken).toHaveLength(1);

  const system = startActorSystem('reclaimed-twice');
  const sink = <M>(name: string): ActorRef<M> =>
    spawnActor<null, M>(system.root, { name, initialState: null, receive: (state) => state });
  const started: string[] = [];
  const blocking = redis.client.duplicate();
  const consumer = spawnConsumerActor(system.root, {
    name: SECOND,
    queue: queue(),
    blockingRedis: blocking,
    batchSize: 2,
    blockMs: 50,
    claimRefreshMs: 600,
    services: {
      candles: syntheticCandleSource,
      charts: createFileChartStore('/tmp/candela-reclaimed-twice-charts'),
      llm: undefined,
      dependencies: openGate,
    },
    spawnJob: hangingJobs(started),
    // Never advanced: no claim refresh runs, as in a worker whose event loop stalled and then died.
    clock: manualClock(Date.now()),
    log: pino({ level: 'silent' }),
    maxRetries: 3,
    retryDelayMs: () => 1000,
    jobTimeoutMs: 60_000,
    metrics: sink('metrics'),
    supervisor: sink('supervisor'),
  });
  try {
    // Both deliveries reach the consumer before its claim of the first has come back.
    send<ConsumerMessage>(consumer, { type: 'entries.reclaimed', entries: taken });
    send<ConsumerMessage>(consumer, { type: 'entries.reclaimed', entries: taken });
    await waitFor(() => started.length > 0, 10_000, 'the job actor to start');
    // Every claim the consumer sent went out before that start, on this connection: a round trip
    // on it, then one through the consumer's mailbox, and every claim reply has been handled.
    await redis.client.ping();
    await ask(consumer, (replyTo: ActorRef<ConsumerStatus>) => ({ type: 'consumer.status' as const, replyTo }), 5000);
    expect(started).toEqual([analysisId]);
  } finally {
    system.shutdown();
    blocking.disconnect();
  }

  // The second worker died while running the job: the third worker's takeover finds one run of it.
  const { entries: orphaned } = await queue().takeOverIdle(THIRD, 0, 10, '0-0');
  const report = await queue().claimBatch(
    orphaned.filter((entry) => entry.analysisId === analysisId),
    () => `${THIRD}:1`,
    THIRD,
  );
  const doubted = ((await redis.client.hget(keys.job(analysisId), 'doubted_runs')) ?? '').split(' ');
  expect(doubted.map(processOf)).toEqual(['worker-host-a-101', 'worker-host-b-202']);
  expect(report.skipped).toEqual([]);
  expect(report.claimed).toHaveLength(1);
  expect(await redis.client.hget(keys.job(analysisId), 'status')).toBe('processing');
});
