/**
 * Charts as files under DATA_DIR/charts/{analysis_id}.{svg,png}. Each file is written to a
 * temporary name and renamed into place, so a reader never sees half a chart.
 */
import { mkdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChartFormat, ChartStore, RenderedChart } from './chartStore.js';

const SAFE_ID = /^[A-Za-z0-9_-]+$/;

export function createFileChartStore(directory: string): ChartStore {
  const fileFor = (analysisId: string, format: ChartFormat) => {
    if (!SAFE_ID.test(analysisId))
      throw new Error(
        `unsafe analysis id for a chart file: ${JSON.stringify(analysisId)} (letters, digits, _ and - only)`,
      );
    return path.join(directory, `${analysisId}.${format}`);
  };
  /** `times`: the file's modification time to keep (retention reads it), set before it is in place. */
  const writeAtomically = async (file: string, data: string | Uint8Array, times?: { atime: Date; mtime: Date }) => {
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, data);
    if (times) await utimes(temporary, times.atime, times.mtime);
    await rename(temporary, file);
  };
  return {
    async save(analysisId: string, chart: RenderedChart) {
      await mkdir(directory, { recursive: true });
      const svgPath = fileFor(analysisId, 'svg');
      const png = chart.png;
      await Promise.all([
        writeAtomically(svgPath, chart.svg),
        ...(png ? [writeAtomically(fileFor(analysisId, 'png'), png)] : []),
      ]);
      return path.resolve(svgPath);
    },
    async addPng(analysisId: string, png: Uint8Array) {
      const svgPath = fileFor(analysisId, 'svg');
      let svg;
      try {
        svg = await stat(svgPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
      await writeAtomically(fileFor(analysisId, 'png'), png, { atime: svg.atime, mtime: svg.mtime });
      return true;
    },
    async read(analysisId: string, format: ChartFormat) {
      try {
        return await readFile(fileFor(analysisId, format));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}
