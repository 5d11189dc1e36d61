/**
 * The path a chart is served under, `/charts/{analysis_id}.{svg,png}`: built here when a job
 * stores its chart (`image_url`), parsed here when the API signs or serves one.
 */
import type { ChartFormat } from './chartStore.js';

export interface ChartRef {
  analysisId: string;
  format: ChartFormat;
}

const CHART_PATH = /^\/charts\/(analysis_[0-9A-Z]{26}(?:-p[1-9][0-9]{0,3})?)\.(svg|png)$/;

export function chartPath(ref: ChartRef): string {
  return `/charts/${ref.analysisId}.${ref.format}`;
}

export function parseChartPath(path: string): ChartRef | undefined {
  const match = CHART_PATH.exec(path);
  return match ? { analysisId: match[1]!, format: match[2] as ChartFormat } : undefined;
}
