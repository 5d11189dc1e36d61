/**
 * A chart store whose PNGs are drawn on first request. Workers store a job's chart as SVG
 * only; the first read of its PNG draws it from the stored SVG in a thread (never on the
 * API's event loop), adds it beside the SVG with the SVG's age (so it expires with it), so
 * later reads and other API nodes (and this one after a restart) serve the stored file, and
 * answers it. Concurrent first reads on one
 * node share one drawing; two nodes racing both draw the same image and both writes are
 * whole-file replacements, so either result is right.
 */
import { Readable } from 'node:stream';
import type { ChartFormat, ChartStore } from '../../storage/charts/chartStore.js';

/** Draws a PNG from a chart's SVG; rejects on failure. */
export type PngDrawer = (svg: string) => Promise<Uint8Array>;

export function lazyPngCharts(store: ChartStore, draw: PngDrawer): ChartStore {
  const drawing = new Map<string, Promise<Buffer | undefined>>();

  async function drawAndSave(analysisId: string): Promise<Buffer | undefined> {
    const svg = await store.read(analysisId, 'svg');
    if (!svg) return undefined;
    const png = Buffer.from(await draw(svg.toString('utf8')));
    await store.addPng(analysisId, png);
    return png;
  }

  async function read(analysisId: string, format: ChartFormat) {
    const stored = await store.read(analysisId, format);
    if (stored || format !== 'png') return stored;
    let pending = drawing.get(analysisId);
    if (!pending) {
      pending = drawAndSave(analysisId).finally(() => drawing.delete(analysisId));
      drawing.set(analysisId, pending);
    }
    return pending;
  }

  const open = store.open?.bind(store);
  return {
    save: (analysisId, chart) => store.save(analysisId, chart),
    addPng: (analysisId, png) => store.addPng(analysisId, png),
    read,
    // A streaming store keeps streaming stored charts; only a PNG drawn just now is sent from memory.
    ...(open && {
      async open(analysisId: string, format: ChartFormat) {
        const opened = await open(analysisId, format);
        if (opened || format !== 'png') return opened;
        const png = await read(analysisId, 'png');
        return png && { stream: Readable.from([png]), length: png.length };
      },
    }),
  };
}
