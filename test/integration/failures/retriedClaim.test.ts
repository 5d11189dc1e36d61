/**
 * A claim that failed is retried with the owner tokens it first used, against a real
 * redis-server and a real consumer actor. The claim may well have run in Redis with only its
 * reply lost (the connection dropped): retried with new tokens, it found the job's run opened
 * by its first token, a run of this very consumer, and put it in doubt, so the poison limit
 * counted a crash that never happened.
 */
import pino from 'pino';
import { spawnConsumerActor, type ConsumerMessage } from '../../../actors/consumerActor.js';
import { openGate } from '../../../actors/dependencyGate.js';
import type { JobActorFactory } from '../../../actors/jobActorFactory.js';
import type { JobMessage } from '../../../actors/jobActor.js';
import { type ActorRef, send, spawnActor, startActorSystem } from '../../../actors/typedActor.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { createConsumerQueue, type ConsumerQueue } from '../../../storage/consumerQueue.js';
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

/** Consumers named as worker nodes name them: `{worker}-c{n}`. */
const CONSUMER = 'worker-host-a-101-c0';

/** Job actors that only note their start and run on. */
function runningJobs(started: string[]): JobActorFactory {
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

/** The production queue, except that the reply of its first claim is lost: the claim runs in Redis, the caller hears an error. */
function losingFirstClaimReply(queue: ConsumerQueue): { queue: ConsumerQueue; lost: () => number } {
  let lost = 0;
  return {
    queue: {
      ...queue,
      async claimBatch(entries, ownerTokenFor, consumer) {
        const report = await queue.claimBatch(entries, ownerTokenFor, consumer);
        if (lost > 0) return report;
        lost += 1;
        throw new Error('Connection is closed.');
      },
    },
    lost: () => lost,
  };
}

test('a claim whose reply was lost is retried with its first tokens: the run it opened is not put in doubt', async () => {
  const { analysisId } = await createJobQueue(redis.client, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '7d',
  });
  const reader = redis.client.duplicate();
  const read = await createConsumerQueue(redis.client, keys).readNew(reader, CONSUMER, 10, 100);
  reader.disconnect();
  expect(read.map((entry) => entry.analysisId)).toEqual([analysisId]);

  const system = startActorSystem('retried-claim');
  const sink = <M>(name: string): ActorRef<M> =>
    spawnActor<null, M>(system.root, { name, initialState: null, receive: (state) => state });
  const started: string[] = [];
  const clock = manualClock(Date.now());
  const losing = losingFirstClaimReply(createConsumerQueue(redis.client, keys, { maxDeliveries: 3 }));
  const blocking = redis.client.duplicate();
  const consumer = spawnConsumerActor(system.root, {
    name: CONSUMER,
    queue: losing.queue,
    blockingRedis: blocking,
    batchSize: 2,
    blockMs: 50,
    claimRefreshMs: 600,
    services: {
      candles: syntheticCandleSource,
      charts: createFileChartStore('/tmp/candela-retried-claim-charts'),
      llm: undefined,
      dependencies: openGate,
    },
    spawnJob: runningJobs(started),
    clock,
    log: pino({ level: 'silent' }),
    maxRetries: 3,
    retryDelayMs: () => 1000,
    jobTimeoutMs: 60_000,
    metrics: sink('metrics'),
    supervisor: sink('supervisor'),
  });
  try {
    send<ConsumerMessage>(consumer, { type: 'entries.read', entries: read });
    // The first claim ran and its failure was heard: the retry waits on the clock.
    await waitFor(() => losing.lost() === 1 && clock.pendingTimers() > 0, 10_000, 'the claim to fail');
    expect(started).toEqual([]);
    const firstToken = await redis.client.hget(keys.job(analysisId), 'run_owner');
    expect(firstToken).toMatch(new RegExp(`^${CONSUMER}:`));
    clock.advance(60_000);
    await waitFor(() => started.length > 0, 10_000, 'the job actor to start');
    expect(started).toEqual([analysisId]);
    const [runOwner, owner, doubted] = await redis.client.hmget(
      keys.job(analysisId),
      'run_owner',
      'owner',
      'doubted_runs',
    );
    expect(doubted).toBeNull();
    expect(runOwner).toBe(firstToken);
    expect(owner).toBe(firstToken);
  } finally {
    system.shutdown();
    blocking.disconnect();
  }
});
