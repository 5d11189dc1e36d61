/**
 * Chart files expire like the jobs that made them: a file older than the result TTL (by its
 * modification time, which is when the chart was rendered, just before its job ended) is
 * deleted. Each call looks at a bounded number of directory entries and resumes where the
 * last one stopped, so a large chart directory never makes one tick long. A new pass over the
 * directory starts at most once per hundredth of the TTL (a file is deleted at most 1% of its
 * TTL late): starting one on every sweeper tick made a worker stat every chart it kept, a week
 * of them by default, every few seconds (in bench:pipeline 2% of a worker's CPU, and growing
 * with the directory).
 */
import type { Dir } from 'node:fs';
import { opendir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export interface ChartFileSweep {
  /** Looks at up to `maxEntries` files; returns how many it deleted. */
  sweep(now: number, maxEntries: number): Promise<{ examined: number; deleted: number }>;
  close(): Promise<void>;
}

const CHART_FILE = /\.(svg|png)(\.[\w.-]+\.tmp)?$/;

/** Passes start at least this share of the TTL apart. */
const PASS_SPACING_OF_TTL = 0.01;

export function createChartFileSweep(directory: string, ttlSeconds: number): ChartFileSweep {
  let dir: Dir | undefined;
  let nextPassAt = -Infinity;

  async function nextName(now: number): Promise<string | undefined> {
    if (!dir) {
      if (now < nextPassAt) return undefined;
      nextPassAt = now + ttlSeconds * 1000 * PASS_SPACING_OF_TTL;
      try {
        dir = await opendir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    }
    const entry = await dir.read();
    if (entry === null) {
      // One pass done: the next call starts a new one.
      await dir.close().catch(() => undefined);
      dir = undefined;
      return undefined;
    }
    return entry.isFile() ? entry.name : '';
  }

  return {
    async sweep(now, maxEntries) {
      let examined = 0;
      let deleted = 0;
      if (ttlSeconds <= 0) return { examined, deleted };
      while (examined < maxEntries) {
        const name = await nextName(now);
        if (name === undefined) break;
        examined += 1;
        if (name === '' || !CHART_FILE.test(name)) continue;
        const file = path.join(directory, name);
        try {
          const { mtimeMs } = await stat(file);
          if (now - mtimeMs < ttlSeconds * 1000) continue;
          await unlink(file);
          deleted += 1;
        } catch (error) {
          // Deleted meanwhile (another worker's sweep): nothing left to do.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      return { examined, deleted };
    },
    async close() {
      await dir?.close().catch(() => undefined);
      dir = undefined;
    },
  };
}
