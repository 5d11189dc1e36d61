/**
 * `candela scan SYMBOL… --intervals 1h,4h [--timeframe 7d] [--json]`: creates a scan through
 * the typed client and shows a live table of its children (redrawn in place on a terminal;
 * elsewhere a line on stderr whenever a child ends), then the final table, or with --json the
 * scan's record as one JSON line. Exit code 0 every child completed, 1 any failed, 2 bad
 * input, 130 cancelled: Ctrl-C cancels the scan and waits for it to end (a second Ctrl-C
 * stops waiting).
 */
import type { Config } from '../../config/env.js';
import { INTERVALS } from '../../analysis/intervals.js';
import { intervalSchema } from '../../router/schemas.js';
import { UsageError } from '../usageError.js';
import { CLIENT_OPTIONS, connect, EXIT, flag, option, positionals, reportFailure } from './clientOptions.js';
import { renderScanFrame, type ScanFrame } from './scanFrame.js';

const USAGE =
  'usage: candela scan SYMBOL... --intervals 1h,4h [--timeframe 7d] [--json] [--url http://127.0.0.1:8000] [--token JWT | CANDELA_TOKEN] [--user ID]';
const POLL_MS = 500;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

function parseIntervals(text: string | undefined) {
  if (!text) throw new UsageError(`--intervals: required, e.g. --intervals 1h,4h\n${USAGE}`);
  return text.split(',').map((interval) => {
    const parsed = intervalSchema.safeParse(interval.trim());
    if (!parsed.success)
      throw new UsageError(`--intervals: ${interval} is not one of ${INTERVALS.join(' ')}\n${USAGE}`);
    return parsed.data;
  });
}

/** What the exit code says about a scan that ended. */
function exitFor(frame: ScanFrame): number {
  if (frame.status === 'cancelled') return EXIT.cancelled;
  return frame.completed === frame.total ? EXIT.completed : EXIT.failed;
}

export async function runScan(config: Config, args: string[]): Promise<void> {
  const symbols = positionals(args, [...CLIENT_OPTIONS, '--timeframe', '--intervals']);
  if (symbols.length === 0) throw new UsageError(`SYMBOL: at least one\n${USAGE}`);
  const intervals = parseIntervals(option(args, 'intervals', USAGE));
  const timeframe = option(args, 'timeframe', USAGE) ?? '7d';
  const json = flag(args, 'json');
  const { client, owner } = connect(config, args, USAGE);
  const live = process.stderr.isTTY && !json;
  let interrupts = 0;
  let cancelling: Promise<unknown> | undefined;
  let wake = () => {};
  const onInterrupt = () => {
    interrupts += 1;
    wake();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const created = await client.api.scans.create.mutate({ symbols, intervals, timeframe, ...owner });
    const lookup = { scan_id: created.scan_id, ...owner };
    // Said once Ctrl-C is handled, so whoever reads it can interrupt.
    process.stderr.write(`candela: scan ${created.scan_id} queued, ${created.total} children\n`);
    let frame: ScanFrame;
    let lastDone = -1;
    for (;;) {
      if (interrupts > 0 && !cancelling) {
        process.stderr.write(`candela: cancelling scan ${created.scan_id} (Ctrl-C again to stop waiting)\n`);
        cancelling = client.api.scans.cancel.mutate(lookup).catch((error: unknown) => {
          // Already ended: the status shows how.
          process.stderr.write(`candela: ${error instanceof Error ? error.message : String(error)}\n`);
        });
        await cancelling;
      }
      if (interrupts > 1) {
        process.exitCode = EXIT.cancelled;
        return;
      }
      frame = await client.api.scans.status.query(lookup);
      if (live) process.stderr.write(`\x1b[2J\x1b[H${renderScanFrame(frame)}\n`);
      else if (!json && frame.done !== lastDone)
        process.stderr.write(`candela: ${frame.scan_id} ${frame.status} ${frame.done}/${frame.total} done\n`);
      lastDone = frame.done;
      if (TERMINAL.has(frame.status)) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    process.stdout.write(json ? `${JSON.stringify(frame)}\n` : `${renderScanFrame(frame)}\n`);
    process.exitCode = exitFor(frame);
  } catch (error) {
    reportFailure(error);
  } finally {
    process.off('SIGINT', onInterrupt);
    client.close();
  }
}
