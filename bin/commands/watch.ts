/**
 * `candela watch [--interval 2] [--once]`: a live terminal table of the queue (stream length,
 * pending, waiting, active consumers) and the live workers (heartbeat age, throughput, mean
 * processing time, circuits, reclaims, poison messages and takeovers over the last hour),
 * redrawn every --interval seconds (at least 1). Workers need an admin token. --once prints
 * one frame and exits, for scripts.
 */
import type { Config } from '../../config/env.js';
import { UsageError } from '../usageError.js';
import { connect, flag, option, reportFailure } from './clientOptions.js';
import { type WatchFrame, renderWatchFrame } from './watchFrame.js';

const USAGE =
  'usage: candela watch [--interval SECONDS (>= 1, default 2)] [--once] [--url URL] [--token JWT | CANDELA_TOKEN] [--user ID]';

export async function runWatch(config: Config, args: string[]): Promise<void> {
  const seconds = Number(option(args, 'interval', USAGE) ?? '2');
  if (!Number.isFinite(seconds) || seconds < 1) throw new UsageError(`--interval: at least 1 second\n${USAGE}`);
  const once = flag(args, 'once');
  const { client, owner } = connect(config, args, USAGE);
  const redraw = process.stdout.isTTY && !once;
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopped) {
      const [stats, workers] = await Promise.all([
        client.api.queue.stats.query(owner),
        client.api.workers.list.query().then(
          (answer) => answer.workers,
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      ]);
      const frame: WatchFrame = { stats, workers, now: Date.now() };
      // Clear the screen and go home on a terminal; elsewhere frames follow one another.
      process.stdout.write(`${redraw ? '\x1b[2J\x1b[H' : ''}${renderWatchFrame(frame)}\n`);
      if (once) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          process.off('SIGINT', wake);
          process.off('SIGTERM', wake);
          resolve();
        };
        const timer = setTimeout(wake, seconds * 1000);
        process.on('SIGINT', wake);
        process.on('SIGTERM', wake);
      });
    }
  } catch (error) {
    reportFailure(error);
  } finally {
    client.close();
  }
}
