/**
 * What a chart store does: keep a chart's SVG and PNG under its analysis id and give either back. The file store (fileChartStore.ts) implements it.
 * A job's chart is saved as SVG alone; its PNG is drawn and added when it is first requested.
 */
import type { Readable } from 'node:stream';

export type ChartFormat = 'svg' | 'png';

export interface RenderedChart {
  svg: string;
  /** Absent: not drawn yet (job charts get theirs on first request). */
  png?: Uint8Array;
}

/** A stored chart ready to be sent: its bytes as a stream, and how many there are (Content-Length). */
export interface OpenedChart {
  stream: Readable;
  length: number;
}

export interface ChartStore {
  /** Stores the files given (SVG, and the PNG when present); resolves to where the SVG was written (the file store: its absolute path). */
  save(analysisId: string, chart: RenderedChart): Promise<string>;
  /**
   * Adds the PNG drawn from the stored SVG (a job's, on first request). It takes the SVG's age,
   * so retention deletes the two together, counted from the job's end; false when this store
   * holds no SVG for the analysis (nothing is written).
   */
  addPng(analysisId: string, png: Uint8Array): Promise<boolean>;
  read(analysisId: string, format: ChartFormat): Promise<Buffer | undefined>;
  /** A store that can stream a chart without buffering it whole (GridFS) says so here; openChart falls back to read. */
  open?(analysisId: string, format: ChartFormat): Promise<OpenedChart | undefined>;
}
