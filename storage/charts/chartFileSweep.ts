/**
 * Chart files expire like the jobs that made them: a file older than the result TTL (by its
 * modification time, which is when the chart was rendered, just before its job ended) is
 * deleted. Each call looks at a bounded number of directory entries and resumes where the
 * last one stopped, so a large chart directory never makes one tick long.
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

export function createChartFileSweep(directory: string, ttlSeconds: number): ChartFileSweep {
  let dir: Dir | undefined;

  async function nextName(): Promise<string | undefined> {
    if (!dir) {
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
        const name = await nextName();
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
