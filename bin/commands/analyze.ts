/**
 * `candela analyze SYMBOL INTERVAL [--timeframe 7d] [--url URL] [--token JWT] [--user ID]`:
 * queues one analysis through the typed client, shows its progress as a live bar
 * (cli-progress), then prints the result. The token comes from --token or CANDELA_TOKEN;
 * --user is for an API running with AUTH_MODE=none.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Config } from '../../config/env.js';
import { INTERVALS } from '../../analysis/intervals.js';
import { createClient } from '../../router/client.js';
import { intervalSchema } from '../../router/schemas.js';
import { UsageError } from '../usageError.js';

const USAGE =
  'usage: candela analyze SYMBOL INTERVAL [--timeframe 7d] [--url http://127.0.0.1:8000] [--token JWT | CANDELA_TOKEN] [--user ID]';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value\n${USAGE}`);
  return value;
}

export async function runAnalyze(config: Config, args: string[]): Promise<void> {
  const [symbol, interval] = args;
  if (!symbol || !interval || symbol.startsWith('--') || interval.startsWith('--')) throw new UsageError(USAGE);
  const parsedInterval = intervalSchema.safeParse(interval);
  if (!parsedInterval.success) throw new UsageError(`interval: must be one of ${INTERVALS.join(' ')}\n${USAGE}`);
  const url = option(args, 'url') ?? process.env.CANDELA_URL ?? `http://127.0.0.1:${config.PORT}`;
  const token = option(args, 'token') ?? process.env.CANDELA_TOKEN;
  const user = option(args, 'user');
  const client = createClient({ url, token });
  const owner = user ? { user_id: user } : {};
  try {
    const queued = await client.api.analysis.queue.mutate({
      symbol,
      interval: parsedInterval.data,
      timeframe: option(args, 'timeframe') ?? '7d',
      ...owner,
    });
    const bar = new SingleBar(
      {
        format: `${symbol} ${interval} |{bar}| {percentage}% {stage} {message}`,
        hideCursor: true,
        stream: process.stderr,
        noTTYOutput: true,
        notTTYSchedule: 500,
      },
      Presets.shades_classic,
    );
    bar.start(100, 0, { stage: 'queued', message: queued.analysis_id });
    await new Promise<void>((resolve, reject) => {
      client.api.analysis.progress.subscribe(
        { analysis_id: queued.analysis_id, ...owner },
        {
          onData: ({ data }) =>
            bar.update(Math.round(data.progress * 100), { stage: data.stage, message: data.message.slice(0, 60) }),
          onComplete: resolve,
          onError: reject,
        },
      );
    });
    bar.stop();
    const job = await client.api.analysis.status.query({ analysis_id: queued.analysis_id, ...owner });
    process.stdout.write(
      `${JSON.stringify({ analysis_id: job.analysis_id, status: job.status, error: job.error, image_url: job.image_url, summary_source: job.summary_source, llm_summary: job.llm_summary }, null, 2)}\n`,
    );
    if (job.status !== 'completed') process.exitCode = 1;
  } finally {
    client.close();
  }
}
