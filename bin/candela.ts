#!/usr/bin/env node
/** The `candela` command: api | worker | demo | token | dlq | analyze | scan | status | list | watch. */
import { ConfigError, loadConfig } from '../config/env.js';
import { PartitionCountRefused } from '../storage/partitionCount.js';
import { MongoConfigurationError } from '../storage/mongo/mongoConnection.js';
import { runAnalyze } from './commands/analyze.js';
import { runScan } from './commands/scan.js';
import { runApi } from './commands/api.js';
import { runDlq } from './commands/dlq.js';
import { runDemo } from './commands/demo.js';
import { runToken } from './commands/token.js';
import { runWorker } from './commands/worker.js';
import { runList } from './commands/list.js';
import { runStatus } from './commands/status.js';
import { runWatch } from './commands/watch.js';
import { UsageError } from './usageError.js';

const USAGE = `usage: candela <command>
  api                    HTTP + WebSocket API on PORT (default 8000)
  worker                 a worker process: ANALYSIS_WORKER_CONCURRENCY consumer actors
  demo                   a private Redis, an API node and two workers run a few analyses, then stop
  token USER [--admin]   print a JWT for USER, signed with AUTH_SECRET
  dlq list               the dead-letter stream, one JSON line per job, with its history
  dlq replay ID|--all    queue dead-lettered jobs again, with fresh attempts
  analyze SYMBOL INTERVAL [--timeframe 7d] [--json] [--cancel-on-interrupt]
                         queue one analysis and follow it with a progress bar (CANDELA_TOKEN, CANDELA_URL);
                         exit 0 completed, 1 failed, 2 bad input, 130 cancelled; Ctrl-C asks to cancel
  scan SYMBOL... --intervals 1h,4h [--timeframe 7d] [--json]
                         queue a scan and show a live table of its children; exit 0 all completed,
                         1 any failed, 2 bad input, 130 cancelled (Ctrl-C cancels the scan)
  status ID [--json]     one analysis's record
  list [--status S] [--symbol S] [--interval I] [--limit N] [--json]
                         your analyses, newest first
  watch [--interval 2] [--once]
                         a live table of the queue and the workers (workers need an admin token)
Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'api':
      return runApi(config);
    case 'worker':
      return runWorker(config);
    case 'analyze':
      return runAnalyze(config, args);
    case 'scan':
      return runScan(config, args);
    case 'demo':
      return runDemo(config);
    case 'token':
      return runToken(config, args);
    case 'dlq':
      return runDlq(config, args);
    case 'status':
      return runStatus(config, args);
    case 'list':
      return runList(config, args);
    case 'watch':
      return runWatch(config, args);
    default:
      throw new UsageError(`unknown command '${command}'\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof UsageError ||
    error instanceof MongoConfigurationError ||
    error instanceof PartitionCountRefused
  ) {
    process.stderr.write(`candela: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`candela: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
