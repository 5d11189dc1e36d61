/**
 * `candela analyze SYMBOL INTERVAL [--timeframe 7d] [--json] [--cancel-on-interrupt]`:
 * queues one analysis through the typed client, follows its progress (a live bar on stderr,
 * cli-progress), then prints the result: a short summary, or with --json the whole record,
 * for scripts. Exit code 0 completed, 1 failed, 2 bad input, 130 cancelled. Ctrl-C while
 * following asks whether to cancel the job (or cancels it at once with --cancel-on-interrupt).
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Config } from '../../config/env.js';
import { INTERVALS } from '../../analysis/intervals.js';
import { intervalSchema } from '../../router/schemas.js';
import { UsageError } from '../usageError.js';
import { CLIENT_OPTIONS, connect, EXIT, flag, option, positionals, reportFailure } from './clientOptions.js';
import { handleInterrupts } from './interruptHandler.js';

const USAGE =
  'usage: candela analyze SYMBOL INTERVAL [--timeframe 7d] [--json] [--cancel-on-interrupt] [--url http://127.0.0.1:8000] [--token JWT | CANDELA_TOKEN] [--user ID]';

const EXIT_FOR_STATUS: Record<string, number> = {
  completed: EXIT.completed,
  failed: EXIT.failed,
  cancelled: EXIT.cancelled,
};

export async function runAnalyze(config: Config, args: string[]): Promise<void> {
  const [symbol, interval] = positionals(args, [...CLIENT_OPTIONS, '--timeframe']);
  if (!symbol || !interval) throw new UsageError(USAGE);
  const parsedInterval = intervalSchema.safeParse(interval);
  if (!parsedInterval.success) throw new UsageError(`interval: must be one of ${INTERVALS.join(' ')}\n${USAGE}`);
  const json = flag(args, 'json');
  const timeframe = option(args, 'timeframe', USAGE) ?? '7d';
  const { client, owner } = connect(config, args, USAGE);
  let stopInterrupts = () => {};
  let abandoned = false;
  try {
    const queued = await client.api.analysis.queue.mutate({
      symbol,
      interval: parsedInterval.data,
      timeframe,
      ...owner,
    });
    const job = { analysis_id: queued.analysis_id, ...owner };
    const bar = json
      ? undefined
      : new SingleBar(
          {
            format: `${symbol} ${interval} |{bar}| {percentage}% {stage} {message}`,
            hideCursor: true,
            stream: process.stderr,
            noTTYOutput: true,
            notTTYSchedule: 500,
          },
          Presets.shades_classic,
        );
    bar?.start(100, 0, { stage: 'queued', message: queued.analysis_id });
    const followed = await new Promise<'ended' | 'abandoned'>((resolve, reject) => {
      const subscription = client.api.analysis.progress.subscribe(job, {
        onData: ({ data }) =>
          bar?.update(Math.round(data.progress * 100), { stage: data.stage, message: data.message.slice(0, 60) }),
        // Unsubscribing completes the subscription too: it ended only if it was not dropped.
        onComplete: () => resolve(abandoned ? 'abandoned' : 'ended'),
        onError: reject,
      });
      stopInterrupts = handleInterrupts({
        analysisId: queued.analysis_id,
        cancelAtOnce: flag(args, 'cancel-on-interrupt'),
        cancel: () =>
          client.api.analysis.cancel.mutate(job).then(
            () => undefined,
            // Already ended: following shows how.
            (error: unknown) => {
              process.stderr.write(`candela: ${error instanceof Error ? error.message : String(error)}\n`);
            },
          ),
        abandon: () => {
          abandoned = true;
          subscription.unsubscribe();
          resolve('abandoned');
        },
        pauseDisplay: () => bar?.stop(),
        resumeDisplay: () => bar?.start(100, 0, { stage: 'following', message: queued.analysis_id }),
      });
      // Said once Ctrl-C is handled, so whoever reads it can interrupt.
      if (!bar) process.stderr.write(`candela: queued ${queued.analysis_id}\n`);
    });
    bar?.stop();
    if (followed === 'abandoned') {
      process.exitCode = EXIT.cancelled;
      return;
    }
    const record = await client.api.analysis.status.query(job);
    process.stdout.write(
      json
        ? `${JSON.stringify(record)}\n`
        : `${JSON.stringify(
            {
              analysis_id: record.analysis_id,
              status: record.status,
              error: record.error,
              image_url: record.image_url,
              summary_source: record.summary_source,
              llm_summary: record.llm_summary,
            },
            null,
            2,
          )}\n`,
    );
    process.exitCode = EXIT_FOR_STATUS[record.status] ?? EXIT.failed;
  } catch (error) {
    reportFailure(error);
  } finally {
    stopInterrupts();
    client.close();
  }
}
