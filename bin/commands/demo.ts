/**
 * `candela demo` (`make demo`): a private Redis, one API node and two worker processes; a
 * few analyses queued through the typed client with their live progress, each result, the
 * queue statistics; then everything it started is stopped. Candles are synthetic (no
 * network here), and every result says so.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../../config/env.js';
import { signToken } from '../../router/auth.js';
import { createClient } from '../../router/client.js';
import { freePort, startLocalRedis } from '../localRedis.js';
import { type ChildCandela, startChildCandela, stopChildren } from '../childCandela.js';
import { followAnalysis } from './demoProgress.js';

const ANALYSES = [
  { symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' },
  { symbol: 'ETHUSDT', interval: '15m', timeframe: '1d' },
  { symbol: 'SOLUSDT', interval: '4h', timeframe: '30d' },
] as const;

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function runDemo(config: Config): Promise<void> {
  say('Candela demo: a private Redis, one API node, two worker processes.');
  const redis = await startLocalRedis();
  const children: ChildCandela[] = [];
  try {
    const port = await freePort();
    const dataDir = path.resolve(config.DATA_DIR);
    const env = {
      REDIS_URL: redis.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_SECRET: randomBytes(24).toString('hex'),
      AUTH_MODE: 'jwt',
      DATA_DIR: dataDir,
      MARKET_DATA_PROVIDER: 'synthetic',
      ANALYSIS_WORKER_CONCURRENCY: '2',
      ANALYSIS_SHUTDOWN_GRACE: '10',
      LOG_LEVEL: 'warn',
    };
    children.push(startChildCandela('api', env), startChildCandela('worker', env), startChildCandela('worker', env));
    await Promise.all(children.map((child) => child.ready));
    say(
      `Redis ${redis.url}, API http://127.0.0.1:${port}, workers ${children
        .slice(1)
        .map((child) => child.pid)
        .join(' and ')}\n`,
    );

    const token = await signToken(env.AUTH_SECRET, 'demo-user');
    const client = createClient({ url: `http://127.0.0.1:${port}`, token });
    try {
      const queued = await Promise.all(ANALYSES.map((request) => client.api.analysis.queue.mutate(request)));
      queued.forEach((job, index) =>
        say(
          `queued ${job.analysis_id}  ${ANALYSES[index]!.symbol} ${ANALYSES[index]!.interval} over ${ANALYSES[index]!.timeframe}`,
        ),
      );
      say('');
      const results = await Promise.all(
        queued.map((job, index) =>
          followAnalysis(client, job.analysis_id, `${ANALYSES[index]!.symbol} ${ANALYSES[index]!.interval}`, say),
        ),
      );
      say('');
      for (const job of results) {
        say(`${job.symbol} ${job.interval} over ${job.timeframe}: ${job.status}${job.error ? ` (${job.error})` : ''}`);
        if (job.llm_summary) say(`  summary (${job.summary_source}): ${job.llm_summary}`);
        if (job.status === 'completed')
          say(
            `  chart: ${path.join(dataDir, 'charts', `${job.analysis_id}.svg`)} (its .png is drawn when its link is first opened)`,
          );
      }
      say(`\nqueue stats: ${JSON.stringify(await client.api.queue.stats.query())}`);
      if (results.some((job) => job.status !== 'completed')) process.exitCode = 1;
    } finally {
      client.close();
    }
  } finally {
    await stopChildren(children);
    await redis.stop();
    say('stopped the API, the workers and Redis.');
  }
}
