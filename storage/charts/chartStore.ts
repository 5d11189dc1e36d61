/** Where chart files live: the file store here, GridFS in MongoDB deployments. */
export type ChartFormat = 'svg' | 'png';

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

export interface ChartStore {
  /** Stores both files and returns where the SVG was written (a path or a store URI). */
  save(analysisId: string, chart: RenderedChart): Promise<string>;
  read(analysisId: string, format: ChartFormat): Promise<Buffer | undefined>;
}
