/** Deletes the chart files (and leftover temporary files) in one directory last written longer ago than maxAgeMs. */
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Resolves to how many files were removed. Another node sweeping the same directory at once is harmless. */
export async function removeOldCharts(directory: string, maxAgeMs: number, now: number = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names) {
    if (!/\.(svg|png|tmp)$/.test(name)) continue;
    const file = path.join(directory, name);
    try {
      const info = await stat(file);
      if (!info.isFile() || now - info.mtimeMs <= maxAgeMs) continue;
      await unlink(file);
      removed += 1;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return removed;
}
