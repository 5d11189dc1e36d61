/** Pieces of bench/pipeline.ts: real compiled `candela` processes, their CPU from /proc, and latency percentiles. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { benchNodeFlags } from './benchNodeFlags.js';

export interface BenchProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const COMPILED_CANDELA = 'dist/bin/candela.js';

/** `candela <command>` compiled (`npm run build`) under plain node, as production runs it, not under tsx. */
export function startCandelaCommand(command: string, env: Record<string, string>): BenchProcess {
  if (!existsSync(COMPILED_CANDELA)) throw new Error(`${COMPILED_CANDELA} is missing: run npm run build first`);
  const child = spawn(process.execPath, [...benchNodeFlags(), COMPILED_CANDELA, command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Clock ticks per second of /proc/{pid}/stat on Linux (USER_HZ). */
const USER_HZ = 100;

/** A live process's CPU time (user + system, every thread), in microseconds, from /proc; 0 where /proc is missing. */
export function processCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / USER_HZ;
  } catch {
    return 0;
  }
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Runs `task` for 0..count-1 with at most `limit` in flight. */
export async function inFlight(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
