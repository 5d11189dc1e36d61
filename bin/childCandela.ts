/** `candela` child processes for the demo: started from this same executable, stopped with SIGTERM. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildCandela {
  pid: number;
  process: ChildProcess;
  /** Resolves once the process logged that it is up. */
  ready: Promise<void>;
}

const CANDELA = fileURLToPath(new URL('./candela.js', import.meta.url));
const READY = /"msg":"(api listening|worker started)"/;

export function startChildCandela(command: 'api' | 'worker', env: Record<string, string>): ChildCandela {
  // Ready lines are logged at info; the rest of the child's log stays at the level asked for.
  const child = spawn(process.execPath, [CANDELA, command], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (READY.test(log)) resolve();
      for (const line of chunk.toString().split('\n'))
        if (/"level":(40|50|60)/.test(line)) process.stderr.write(`[${command}] ${line}\n`);
    });
    child.once('exit', (code) => reject(new Error(`candela ${command} exited with ${code}:\n${log.slice(-2000)}`)));
  });
  return { pid: child.pid ?? 0, process: child, ready };
}

export async function stopChildren(children: ChildCandela[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
          child.process.once('exit', () => resolve());
          child.process.kill('SIGTERM');
        }),
    ),
  );
}
