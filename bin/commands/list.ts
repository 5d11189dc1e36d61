/**
 * `candela list [--status S] [--symbol S] [--interval I] [--limit N] [--json]`: the caller's
 * analyses, newest first, as a table (or one JSON object a line with --json).
 */
import type { Config } from '../../config/env.js';
import { INTERVALS, isInterval } from '../../analysis/intervals.js';
import { JOB_STATUSES, type JobStatus } from '../../storage/jobRecord.js';
import { UsageError } from '../usageError.js';
import { connect, flag, option, reportFailure } from './clientOptions.js';
import { textTable } from './textTable.js';

const USAGE = `usage: candela list [--status ${JOB_STATUSES.join('|')}] [--symbol BTCUSDT] [--interval 1h] [--limit 20] [--json] [--url URL] [--token JWT | CANDELA_TOKEN] [--user ID]`;

const isStatus = (value: string): value is JobStatus => (JOB_STATUSES as readonly string[]).includes(value);

export async function runList(config: Config, args: string[]): Promise<void> {
  const status = option(args, 'status', USAGE);
  if (status !== undefined && !isStatus(status))
    throw new UsageError(`--status: must be one of ${JOB_STATUSES.join(' ')}\n${USAGE}`);
  const limitText = option(args, 'limit', USAGE) ?? '20';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new UsageError(`--limit: a whole number from 1 to 100\n${USAGE}`);
  const symbol = option(args, 'symbol', USAGE);
  const interval = option(args, 'interval', USAGE);
  if (interval !== undefined && !isInterval(interval))
    throw new UsageError(`--interval: must be one of ${INTERVALS.join(' ')}\n${USAGE}`);
  const { client, owner } = connect(config, args, USAGE);
  try {
    const page = await client.api.analysis.list.query({
      ...owner,
      limit,
      ...(status ? { status } : {}),
      ...(symbol ? { symbol } : {}),
      ...(interval ? { interval } : {}),
    });
    const analyses = page.analyses;
    if (flag(args, 'json')) {
      for (const job of analyses) process.stdout.write(`${JSON.stringify(job)}\n`);
      return;
    }
    process.stdout.write(
      `${textTable(
        ['ANALYSIS', 'STATUS', 'SYMBOL', 'INTERVAL', 'TIMEFRAME', 'CREATED', 'ATTEMPTS'],
        analyses.map((job) => [
          job.analysis_id,
          job.status,
          job.symbol,
          job.interval,
          job.timeframe,
          job.created_at,
          String(job.attempts),
        ]),
      )}\n`,
    );
  } catch (error) {
    reportFailure(error);
  } finally {
    client.close();
  }
}
