/**
 * redis-server instructions per job, counted by callgrind: a steadier figure than wall clock or
 * CPU time on a shared machine, for comparing the queue's Redis work between two commits.
 *
 *   npm run bench:redis-instructions [-- <checkout dir>]
 *
 * A private redis-server runs under `valgrind --tool=callgrind`. The counters are zeroed
 * (`callgrind_control -z`) just before the jobs are queued and dumped (`callgrind_control -d`)
 * once the stream is drained (and once between the enqueue and the drain, which are also
 * reported apart), so start-up and shutdown are not counted; what is counted is
 * everything Redis does in between: BENCH_JOBS (default 1,000) jobs queued through the
 * checkout's own enqueue path (createJobQueue, 1,000 in flight), then drained by the checkout's
 * bench/noopWorker.ts (ANALYSIS_WORKER_CONCURRENCY x ANALYSIS_WORKER_BATCH_SIZE, default 2 x 50)
 * started after the enqueue, its start-up (script loads, consumer registration) included. The
 * worker's timers (heartbeats, claim refreshes) and this script's drain check (XINFO GROUPS once
 * every 500 ms) run during the phase too; they are a few hundred calls at most, but they grow
 * with the phase's wall time (valgrind slows Redis about 50 times), so a loaded machine reads
 * about 1% higher: run the two checkouts one after the other, under the same load.
 *
 * The checkout (default: this repository) may be an older commit, e.g. after
 * `git worktree add /tmp/base <commit>` and a node_modules link; its modules are imported from
 * there, so both sides run this same measurement. ANALYSIS_RESULT_TTL and the other worker
 * settings pass through the environment.
 *
 * BENCH_SYSTEM=bullmq measures BullMQ instead, on the same terms: one Queue.add per job (1,000
 * in flight), drained by bench/bullmqWorker.ts (one Worker, concurrency 50), so the two queues'
 * Redis work per job can be compared without the machine's noise.
 *
 * Prints one JSON line: per job, callgrind's program total (Ir) and the inclusive cost of
 * readQueryFromClient (every command a client sent, the Lua inside included), evalGenericCommand,
 * luaCallFunction and lua_pcall (the script bodies), and luaCreateFunction (script compiles),
 * for both phases and for each. BENCH_KEEP_CALLGRIND=<path> keeps the two dumps (<path>.1,
 * <path>.2) for callgrind_annotate; BENCH_COMMANDSTATS=1 prints INFO commandstats to stderr.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort } from '../bin/localRedis.js';

const run = promisify(execFile);

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const CHUNK = 1000;
const DRAIN_CHECK_MS = 500;
const TIMEOUT_MS = 600_000;
// luaCreateFunction: compiling a script the first time a client sends its text, a one-off
// cost that 1,000 jobs share (part of readQueryFromClient, like the rest).
const FUNCTIONS = [
  'readQueryFromClient',
  'evalGenericCommand',
  'luaCallFunction',
  'lua_pcall',
  'luaCreateFunction',
] as const;

const here = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const checkout = path.resolve(process.argv[2] ?? here);
const SYSTEM = process.env.BENCH_SYSTEM === 'bullmq' ? 'bullmq' : 'candela';

interface QueueKeysLike {
  stream: string;
  group: string;
}
interface JobQueueLike {
  enqueue(request: { user_id: string; symbol: string; interval: string; timeframe: string }): Promise<unknown>;
}
interface CheckoutModules {
  createKeys(): QueueKeysLike;
  createJobQueue(redis: Redis, keys: QueueKeysLike): JobQueueLike;
  ensureConsumerGroup(redis: Redis, keys: QueueKeysLike): Promise<void>;
}

async function importCheckout(): Promise<CheckoutModules> {
  const load = (file: string) => import(pathToFileURL(path.join(checkout, file)).href) as Promise<unknown>;
  const keys = (await load('storage/keys.ts')) as Pick<CheckoutModules, 'createKeys'>;
  const queue = (await load('storage/jobQueue.ts')) as Omit<CheckoutModules, 'createKeys'>;
  return {
    createKeys: keys.createKeys,
    createJobQueue: queue.createJobQueue,
    ensureConsumerGroup: queue.ensureConsumerGroup,
  };
}

async function waitUntil(check: () => Promise<boolean>, what: string, everyMs = 100): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function ping(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}

async function callgrind(pid: number, flag: '-z' | '-d'): Promise<void> {
  await run('callgrind_control', [flag, String(pid)]);
}

/** Inclusive Ir of the program and of each named function, from callgrind_annotate. */
async function annotate(file: string): Promise<Record<string, number>> {
  const { stdout } = await run('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const figures: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (!match) continue;
    const count = Number(match[1]!.replaceAll(',', ''));
    const name = match[2]!.includes('PROGRAM TOTALS') ? 'total' : /:([\w.]+)(?:\s|$)/.exec(match[2]!)?.[1];
    if (name !== undefined && figures[name] === undefined) figures[name] = count;
  }
  return figures;
}

function startWorker(url: string): Promise<ChildProcess> {
  const script =
    SYSTEM === 'bullmq' ? path.join(here, 'bench/bullmqWorker.ts') : path.join(checkout, 'bench/noopWorker.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: SYSTEM === 'bullmq' ? here : checkout,
    env: {
      ...process.env,
      REDIS_URL: url,
      ANALYSIS_WORKER_CONCURRENCY: process.env.ANALYSIS_WORKER_CONCURRENCY ?? '2',
      ANALYSIS_WORKER_BATCH_SIZE: process.env.ANALYSIS_WORKER_BATCH_SIZE ?? '50',
      LOG_LEVEL: 'warn',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code} before it was ready`)));
  });
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** What is measured: queueing one job, and whether the worker has finished them all. */
interface SystemUnderTest {
  enqueue(index: number): Promise<unknown>;
  drained(): Promise<boolean>;
  close(): Promise<void>;
}

async function candela(redis: Redis): Promise<SystemUnderTest> {
  const modules = await importCheckout();
  const keys = modules.createKeys();
  const queue = modules.createJobQueue(redis, keys);
  await modules.ensureConsumerGroup(redis, keys);
  return {
    enqueue: (index) =>
      queue.enqueue({ user_id: `user${index % 100}`, symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' }),
    drained: () => drained(redis, keys),
    close: () => Promise.resolve(),
  };
}

/** BullMQ as bench/queue.ts runs it: one add per job, its default job options. */
function bullmq(port: number, redis: Redis): SystemUnderTest {
  const queue = new Queue('bench', { connection: { host: '127.0.0.1', port } });
  return {
    enqueue: (index) => queue.add('noop', { user_id: `user${index % 100}`, symbol: 'BTCUSDT' }),
    drained: async () => (await redis.zcard('bull:bench:completed')) >= JOBS,
    close: () => queue.close(),
  };
}

async function drained(redis: Redis, keys: QueueKeysLike): Promise<boolean> {
  const groups = (await redis.xinfo('GROUPS', keys.stream)) as unknown[][];
  const fields = new Map<string, unknown>();
  const group = groups[0] ?? [];
  for (let index = 0; index + 1 < group.length; index += 2) fields.set(String(group[index]), group[index + 1]);
  return (
    Number(fields.get('entries-read') ?? 0) >= JOBS &&
    Number(fields.get('pending') ?? 1) === 0 &&
    Number(fields.get('lag') ?? 1) === 0
  );
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'candela-callgrind-'));
const port = await freePort();
const server = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    `--callgrind-out-file=${path.join(dir, 'callgrind.out')}`,
    'redis-server',
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
  ],
  { stdio: 'ignore' },
);
const url = `redis://127.0.0.1:${port}`;
const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => 200, maxRetriesPerRequest: null });
// It retries while valgrind starts redis-server; the refusals until then are expected.
redis.on('error', () => {});
let worker: ChildProcess | undefined;
let system: SystemUnderTest | undefined;
try {
  await waitUntil(() => ping(redis), 'redis-server under valgrind to answer');
  system = SYSTEM === 'bullmq' ? bullmq(port, redis) : await candela(redis);
  const measured = system;
  // The worker's process starts before counting; it only connects once told to go.
  worker = await startWorker(url);

  await callgrind(server.pid!, '-z');
  const started = performance.now();
  for (let start = 0; start < JOBS; start += CHUNK) {
    const size = Math.min(CHUNK, JOBS - start);
    await Promise.all(Array.from({ length: size }, (_, index) => measured.enqueue(start + index)));
  }
  await callgrind(server.pid!, '-d');
  worker.stdin!.write('go\n');
  await waitUntil(() => measured.drained(), 'the worker to drain the queue', DRAIN_CHECK_MS);
  await callgrind(server.pid!, '-d');
  const phaseMs = performance.now() - started;

  // A dump zeroes the counters: the first holds the enqueue, the second the drain.
  const dumps = readdirSync(dir)
    .filter((name) => /^callgrind\.out\.\d+$/.test(name))
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
  if (dumps.length !== 2) throw new Error(`callgrind wrote ${dumps.length} dumps in ${dir}, expected 2`);
  const [enqueue, drain] = await Promise.all(dumps.map((name) => annotate(path.join(dir, name))));
  if (process.env.BENCH_KEEP_CALLGRIND)
    dumps.forEach((name, index) =>
      copyFileSync(path.join(dir, name), `${process.env.BENCH_KEEP_CALLGRIND}.${index + 1}`),
    );
  if (process.env.BENCH_COMMANDSTATS) process.stderr.write(`${await redis.info('commandstats')}\n`);
  const perJob = (figures: Record<string, number>, name: string) => Math.round((figures[name] ?? 0) / JOBS);
  const phase = (figures: Record<string, number>) =>
    Object.fromEntries(['total', ...FUNCTIONS].map((name) => [name, perJob(figures, name)]));
  const both = (name: string) => perJob(enqueue!, name) + perJob(drain!, name);
  process.stdout.write(
    `${JSON.stringify({
      system: SYSTEM,
      checkout: SYSTEM === 'bullmq' ? 'bullmq' : checkout,
      jobs: JOBS,
      result_ttl: process.env.ANALYSIS_RESULT_TTL ?? 'default',
      phase_s: Math.round(phaseMs / 100) / 10,
      ir_per_job: both('total'),
      ...Object.fromEntries(FUNCTIONS.map((name) => [`${name}_per_job`, both(name)])),
      enqueue_per_job: phase(enqueue!),
      drain_per_job: phase(drain!),
      load_average: os.loadavg().map((value) => Math.round(value * 100) / 100),
    })}\n`,
  );
} finally {
  if (worker) await stopProcess(worker, 'SIGTERM');
  await system?.close();
  redis.disconnect();
  await stopProcess(server, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
