/**
 * A real consumer actor on a real redis-server, for the run-ledger tests: an actor system with
 * sinks for metrics and supervision, job actors that note their start, and one job to claim.
 */
import type { Redis } from 'ioredis';
import pino from 'pino';
import { spawnConsumerActor, type ConsumerMessage, type ConsumerStatus } from '../../../actors/consumerActor.js';
import type { Clock } from '../../../actors/clock.js';
import { openGate } from '../../../actors/dependencyGate.js';
import type { JobActorFactory } from '../../../actors/jobActorFactory.js';
import type { JobActorOptions, JobMessage } from '../../../actors/jobActor.js';
import { ask, type ActorRef, spawnActor, startActorSystem } from '../../../actors/typedActor.js';
import { syntheticCandleSource } from '../../../integrations/marketData/syntheticCandleSource.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import type { ConsumerQueue } from '../../../storage/consumerQueue.js';
import { createJobQueue } from '../../../storage/jobQueue.js';
import type { QueueKeys } from '../../../storage/keys.js';
import type { RedisClient } from '../../../storage/redisConnection.js';

/** One job of user alice, queued through the production enqueue. */
export async function enqueueOne(redis: RedisClient, keys: QueueKeys): Promise<string> {
  const { analysisId } = await createJobQueue(redis, keys).enqueue({
    user_id: 'alice',
    symbol: 'BTCUSDT',
    interval: '1h',
    timeframe: '7d',
  });
  return analysisId;
}

/** Job actors that note their start in `started`, then do `onStart` (by default: run on until stopped). */
export function recordingJobs(
  started: string[],
  onStart: (options: JobActorOptions) => void = () => undefined,
): JobActorFactory {
  return (parent, options) =>
    spawnActor<null, JobMessage>(parent, {
      name: options.record.analysis_id.toLowerCase(),
      initialState: null,
      receive(state, message) {
        if (message.type !== 'job.start') return state;
        started.push(options.record.analysis_id);
        onStart(options);
        return state;
      },
    });
}

export interface ConsumerUnderTest {
  consumer: ActorRef<ConsumerMessage>;
  /** Every message already sent to the consumer has been handled. */
  status(): Promise<ConsumerStatus>;
  stop(): void;
}

export function startConsumerUnderTest(options: {
  redis: Redis;
  name: string;
  queue: ConsumerQueue;
  spawnJob: JobActorFactory;
  clock: Clock;
  retryDelayMs: number;
}): ConsumerUnderTest {
  const system = startActorSystem(`consumer-under-test-${Math.random().toString(36).slice(2)}`);
  const sink = <M>(name: string): ActorRef<M> =>
    spawnActor<null, M>(system.root, { name, initialState: null, receive: (state) => state });
  const blocking = options.redis.duplicate();
  const consumer = spawnConsumerActor(system.root, {
    name: options.name,
    queue: options.queue,
    blockingRedis: blocking,
    batchSize: 2,
    blockMs: 50,
    claimRefreshMs: 600,
    services: {
      candles: syntheticCandleSource,
      charts: createFileChartStore('/tmp/candela-consumer-under-test-charts'),
      llm: undefined,
      dependencies: openGate,
    },
    spawnJob: options.spawnJob,
    clock: options.clock,
    log: pino({ level: 'silent' }),
    maxRetries: 3,
    retryDelayMs: () => options.retryDelayMs,
    jobTimeoutMs: 60_000,
    metrics: sink('metrics'),
    supervisor: sink('supervisor'),
  });
  return {
    consumer,
    status: () =>
      ask(consumer, (replyTo: ActorRef<ConsumerStatus>) => ({ type: 'consumer.status' as const, replyTo }), 5000),
    stop() {
      system.shutdown();
      blocking.disconnect();
    },
  };
}
