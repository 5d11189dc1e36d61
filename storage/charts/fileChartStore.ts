/**
 * Charts as files under DATA_DIR/charts/{analysis_id}.{svg,png}. Each file is written to a
 * temporary name and renamed into place, so a reader never sees half a chart.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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
  const writeAtomically = async (file: string, data: string | Uint8Array) => {
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, data);
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
