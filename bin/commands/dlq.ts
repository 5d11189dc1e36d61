/**
 * `candela dlq list` prints the dead-letter stream, one JSON object a line (the job, its error
 * and its attempt history); `candela dlq replay ID|--all` queues dead-lettered jobs again
 * with fresh attempts, keeping their history.
 */
import type { Config } from '../../config/env.js';
import { createKeys } from '../../storage/keys.js';
import { createPartitionedDeadLetters } from '../../storage/partitionedStores.js';
import { closeRedis, connectRedis } from '../../storage/redisConnection.js';
import { UsageError } from '../usageError.js';

const USAGE = 'usage: candela dlq list | candela dlq replay ANALYSIS_ID | candela dlq replay --all';

export async function runDlq(config: Config, args: string[]): Promise<void> {
  const [action, target] = args;
  if (action !== 'list' && action !== 'replay') throw new UsageError(USAGE);
  if (action === 'replay' && !target) throw new UsageError(`${USAGE}\n(replay needs an analysis id, or --all)`);
  const redis = connectRedis(config, 'candela:dlq');
  try {
    const deadLetters = createPartitionedDeadLetters(
      redis,
      createKeys(undefined, undefined, config.ANALYSIS_QUEUE_PARTITIONS),
    );
    if (action === 'list') {
      for (const letter of await deadLetters.list()) process.stdout.write(`${JSON.stringify(letter)}\n`);
      return;
    }
    const results = target === '--all' ? await deadLetters.replayAll() : [await deadLetters.replay(target!)];
    for (const result of results) {
      if (!result) throw new UsageError(`${target} is not on the dead-letter stream: see 'candela dlq list'`);
      process.stdout.write(
        `${result.analysis_id} ${result.replayed ? 'queued again' : 'was no longer failed; removed from the dead letters'}\n`,
      );
    }
  } finally {
    await closeRedis(redis);
  }
}
