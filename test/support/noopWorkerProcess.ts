/** Starts test/support/noopArchivingWorker.ts as a real process (through tsx) and kills it with real signals. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface NoopWorker {
  child: ChildProcess;
  exited: Promise<number | string>;
  output(): string;
}

export async function startNoopWorker(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<NoopWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/noopArchivingWorker.ts'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready in ${readyTimeoutMs} ms:\n${output}`)),
      readyTimeoutMs,
    );
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, exited, output: () => output };
}

export async function killWorker(worker: NoopWorker, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  await worker.exited;
}
