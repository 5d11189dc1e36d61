/**
 * The API's threads that draw chart PNGs on first request (lazyPngCharts.ts): started on the
 * first PNG asked for, so an API node that never serves one never loads Skia.
 */
import { availableParallelism } from 'node:os';
import { createStageThreads, type StageThreads } from '../../pipeline/stageThreads.js';
import type { PngDrawer } from './lazyPngCharts.js';

/** Two threads at most: drawing one takes about 15 ms, and the API's event loop needs a core too. */
const PNG_THREADS_MAX = 2;
/** A drawing that takes this long is stuck; the request fails instead of waiting for ever. */
const PNG_TIMEOUT_MS = 30_000;

export interface PngThreads {
  draw: PngDrawer;
  close(): Promise<void>;
}

export function createPngThreads(): PngThreads {
  let threads: StageThreads | undefined;
  return {
    draw(svg) {
      threads ??= createStageThreads(Math.min(PNG_THREADS_MAX, availableParallelism()));
      return threads.png(svg, AbortSignal.timeout(PNG_TIMEOUT_MS));
    },
    close: async () => threads?.close(),
  };
}
