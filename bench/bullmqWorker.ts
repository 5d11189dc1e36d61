/** One BullMQ worker process, concurrency 50, no-op processor: the baseline of bench/queue.ts. Starts on `go` from stdin. */
import { once } from 'node:events';
import { Worker } from 'bullmq';
import { reportCpu } from './workerCpu.js';

const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const cpuAtGo = process.cpuUsage();
const worker = new Worker('bench', async () => undefined, {
  connection: { host: url.hostname, port: Number(url.port) },
  concurrency: 50,
});
process.once('SIGTERM', () => {
  reportCpu(cpuAtGo);
  void worker.close().then(() => process.exit(0));
});
