/**
 * Charts as files under DATA_DIR/charts/{analysis_id}.{svg,png}. Each file is written to a
 * temporary name and renamed into place, so a reader never sees half a chart. The directory is
 * made when a write finds it missing, not before every chart: a `mkdir -p` per save was one
 * more thread-pool round trip per analysis.
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
    await writeCreatingDirectory(temporary, data);
    if (times) await utimes(temporary, times.atime, times.mtime);
    await rename(temporary, file);
  };
  /** The first save, or one after the directory was removed, finds it missing and makes it. */
  const writeCreatingDirectory = async (file: string, data: string | Uint8Array) => {
    try {
      await writeFile(file, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(directory, { recursive: true });
      await writeFile(file, data);
    }
  };
  return {
    async save(analysisId: string, chart: RenderedChart) {
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
