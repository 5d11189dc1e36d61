/** A chart as a stream with its length, from any chart store: streamed when the store can, else read whole. */
import { Readable } from 'node:stream';
import type { ChartFormat, ChartStore, OpenedChart } from './chartStore.js';

export async function openChart(
  store: ChartStore,
  analysisId: string,
  format: ChartFormat,
): Promise<OpenedChart | undefined> {
  if (store.open) return store.open(analysisId, format);
  const file = await store.read(analysisId, format);
  return file ? { stream: Readable.from([file]), length: file.length } : undefined;
}
