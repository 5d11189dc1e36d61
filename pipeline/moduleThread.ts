/**
 * Starts a worker thread on a module beside the caller: the compiled .js under dist/, or the
 * .ts source through tsx when the caller itself runs from source (ts-jest, tsx). A worker does
 * not inherit the parent's TypeScript loader (`--import tsx` in execArgv is not honoured by
 * Node 20 workers), so from source a one-line bootstrap registers tsx's ESM hooks and then
 * imports the .ts file.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export function startModuleThread(callerUrl: string, baseName: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${baseName}.js`, callerUrl), { workerData });
  const tsxApi = pathToFileURL(
    createRequire(callerUrl)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const thread = new URL(`./${baseName}.ts`, callerUrl).href;
  const code = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(thread)}); })`;
  return new Worker(code, { eval: true, workerData });
}
