/** `candela status ANALYSIS_ID [--json]`: one analysis's record, as `analysis.status` answers it. */
import type { Config } from '../../config/env.js';
import { UsageError } from '../usageError.js';
import { CLIENT_OPTIONS, connect, flag, positionals, reportFailure } from './clientOptions.js';

const USAGE = 'usage: candela status ANALYSIS_ID [--json] [--url URL] [--token JWT | CANDELA_TOKEN] [--user ID]';

export async function runStatus(config: Config, args: string[]): Promise<void> {
  const [analysisId] = positionals(args, CLIENT_OPTIONS);
  if (!analysisId) throw new UsageError(USAGE);
  const { client, owner } = connect(config, args, USAGE);
  try {
    const record = await client.api.analysis.status.query({ analysis_id: analysisId, ...owner });
    if (flag(args, 'json')) {
      process.stdout.write(`${JSON.stringify(record)}\n`);
      return;
    }
    const { analysis_data: _data, ...shown } = record;
    for (const [field, value] of Object.entries(shown))
      process.stdout.write(`${field.padEnd(15)} ${value === null ? '-' : String(value)}\n`);
  } catch (error) {
    reportFailure(error);
  } finally {
    client.close();
  }
}
