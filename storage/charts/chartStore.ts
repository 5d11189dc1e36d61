/** What a chart store does: keep a chart's SVG and PNG under its analysis id and give either back. The file store (fileChartStore.ts) implements it. */
export type ChartFormat = 'svg' | 'png';

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

export interface ChartStore {
  /** Stores both files; resolves to where the SVG was written (the file store: its absolute path). */
  save(analysisId: string, chart: RenderedChart): Promise<string>;
  read(analysisId: string, format: ChartFormat): Promise<Buffer | undefined>;
}
