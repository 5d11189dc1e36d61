/** Shared pieces of bench/queue.ts: child worker processes, command counting, waiting for a drain. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { benchNodeFlags } from './benchNodeFlags.js';
import { parseCpu } from './workerCpu.js';

/** Commands the benchmark itself sends while it watches; they are not the system's. */
const OBSERVER_COMMANDS = new Set([
  'info',
  'config',
  'xinfo',
  'zcard',
  'ping',
  'client',
  'hello',
  'select',
  'flushall',
  'xlen',
]);

export async function resetCommandStats(redis: Redis): Promise<void> {
  await redis.config('RESETSTAT');
}

export async function systemCommandCount(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([a-z|_-]+):calls=(\d+)/gm)) {
    if (!OBSERVER_COMMANDS.has(match[1]!.split('|')[0]!)) total += Number(match[2]);
  }
  return total;
}

/** redis-server's own CPU time so far (user + system), in microseconds. */
export async function redisCpuMicros(redis: Redis): Promise<number> {
  const { user, sys } = await redisCpuSplit(redis);
  return user + sys;
}

/** redis-server's CPU so far (µs), in user space and in the kernel (its socket reads and writes). */
export async function redisCpuSplit(redis: Redis): Promise<{ user: number; sys: number }> {
  const info = await redis.info('cpu');
  const micros = (name: string) => Math.round(Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0) * 1e6);
  return { user: micros('used_cpu_user'), sys: micros('used_cpu_sys') };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Lets the loaded process start its worker. */
  go(): void;
  /** Stops it; resolves to its own CPU time (µs) from `go` to the stop, as it reported it. */
  stop(): Promise<number | undefined>;
}

/**
 * A compiled worker script (dist/..., from `npm run build`) under plain node, as production
 * runs its workers: tsx's loader and its keep-names wrappers would count in the figures.
 */
export async function startWorkerProcess(script: string, env: Record<string, string>): Promise<WorkerProcess> {
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
  const child = spawn(process.execPath, [...benchNodeFlags(), script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return {
    child,
    go: () => void child.stdin.write('go\n'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      return parseCpu(output);
    },
  };
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const rate = (jobs: number, ms: number) => Math.round((jobs / ms) * 1000);
