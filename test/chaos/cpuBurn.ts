/**
 * CHAOS_BURN=1: a CPU-bound child process per core for the length of a scenario, so the
 * scenario runs on a machine as loaded as a busy production host (starved event loops, late
 * timers, slow claim refreshes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';

export interface CpuBurn {
  processes: number;
  stop(): Promise<void>;
}

export function burnRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CHAOS_BURN === '1' || env.CHAOS_BURN === 'true';
}

export function startCpuBurn(count = os.availableParallelism()): CpuBurn {
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  // A runner that dies without its finally block must not leave spinning processes behind.
  const killAll = () => children.forEach((child) => child.kill('SIGKILL'));
  process.once('exit', killAll);
  return {
    processes: count,
    async stop() {
      process.removeListener('exit', killAll);
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
