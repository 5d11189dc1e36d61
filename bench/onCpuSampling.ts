/**
 * Where a benchmark's processes spend their CPU, from Linux perf (BENCH_PERF=1): `perf record
 * -a -e cpu-clock` samples every core while a round runs, then each sample of the processes
 * asked about is put in a category by the function it hit. V8's own profiles (--cpu-prof)
 * sample wall time: with four workers on two cores, a thread waiting for a core or inside a
 * syscall was counted as running, so they could not say where extra CPU went; cpu-clock
 * samples only a thread that is on a core. Needs `perf` (Debian's linux-perf) and the right
 * to sample every core (root, or kernel.perf_event_paranoid <= 0); the children run with
 * `--perf-basic-prof` (bench/benchNodeFlags.ts) so their JavaScript is named.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SAMPLES_PER_SECOND = 499;

export const CPU_CATEGORIES = [
  'js_optimized',
  'js_unoptimized',
  'builtins',
  'compiler',
  'gc',
  'kernel',
  'native',
] as const;
export type CpuCategory = (typeof CPU_CATEGORIES)[number];

/**
 * The category of one sample, from its symbol and the object it is in. JavaScript is named by
 * V8's map: `JS:*` is optimised code, `JS:^`, `JS:+` and `JS:~` baseline, Maglev and interpreted.
 */
export function categoryOf(symbol: string, object: string): CpuCategory {
  if (object.includes('kernel')) return 'kernel';
  if (/perf-\d+\.map/.test(object)) return symbol.startsWith('JS:*') ? 'js_optimized' : 'js_unoptimized';
  if (symbol.startsWith('Builtins_')) return 'builtins';
  if (/compiler::|maglev::|Compiler|Compile|Parser|Scanner|Bytecode|CodeGenerator/.test(symbol)) return 'compiler';
  if (/Scaveng|Marking|Sweep|Heap::|Evacuat|Compactor|GCTracer|MemoryAllocator/.test(symbol)) return 'gc';
  return 'native';
}

export interface OnCpuSampler {
  /** Stops sampling; the milliseconds of CPU by category of the processes `pids` (every thread). */
  stop(pids: readonly number[]): Promise<Record<CpuCategory, number>>;
}

async function stopPerf(perf: ChildProcess): Promise<void> {
  if (perf.exitCode !== null) throw new Error(`perf record exited early with ${perf.exitCode}`);
  const exited = new Promise((resolve) => perf.once('exit', resolve));
  perf.kill('SIGINT');
  await exited;
}

/** Parses `perf script -F pid,tid,ip,sym,dso` lines ("pid/tid  ip symbol (object)"). */
export function tallyPerfScript(script: string, pids: ReadonlySet<number>): Record<CpuCategory, number> {
  const counts = Object.fromEntries(CPU_CATEGORIES.map((category) => [category, 0])) as Record<CpuCategory, number>;
  for (const line of script.split('\n')) {
    const match = /^\s*(\d+)\/\d+\s+[0-9a-f]+\s+(.*?)\s+\(([^()]*)\)\s*$/.exec(line);
    if (!match || !pids.has(Number(match[1]))) continue;
    counts[categoryOf(match[2]!, match[3]!)] += 1;
  }
  for (const category of CPU_CATEGORIES) counts[category] = Math.round((counts[category] * 1000) / SAMPLES_PER_SECOND);
  return counts;
}

/** Starts sampling every core; undefined unless BENCH_PERF is set. */
export async function startOnCpuSampling(): Promise<OnCpuSampler | undefined> {
  if (!process.env.BENCH_PERF) return undefined;
  const directory = mkdtempSync(path.join(os.tmpdir(), 'candela-perf-'));
  const data = path.join(directory, 'perf.data');
  const perf = spawn('perf', ['record', '-a', '-e', 'cpu-clock', '-F', String(SAMPLES_PER_SECOND), '-o', data], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // A round that throws never reaches stop(): perf, sampling every core, must not outlive the bench.
  const stopWithBench = () => perf.kill('SIGINT');
  process.once('exit', stopWithBench);
  let errors = '';
  perf.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    perf.once('error', (error) => reject(new Error(`BENCH_PERF needs Linux perf (linux-perf): ${error.message}`)));
    // perf has no "ready" line: a second is far more than it takes to open its buffers.
    const timer = setTimeout(resolve, 1000);
    perf.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`perf record exited with ${code}: ${errors.trim()}`));
    });
  });
  return {
    async stop(pids) {
      process.removeListener('exit', stopWithBench);
      try {
        await stopPerf(perf);
        const { stdout } = await run('perf', ['script', '-i', data, '-F', 'pid,tid,ip,sym,dso'], {
          maxBuffer: 1 << 30,
        });
        return tallyPerfScript(stdout, new Set(pids));
      } finally {
        rmSync(directory, { recursive: true, force: true });
        // V8's symbol maps of the sampled processes, one per process, are no longer read.
        for (const pid of pids) rmSync(path.join('/tmp', `perf-${pid}.map`), { force: true });
      }
    },
  };
}
