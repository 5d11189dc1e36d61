/** Messages between a worker's stage threads (stageThreads.ts) and each thread (stageThread.ts). */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import type { RenderedChart } from '../storage/charts/chartStore.js';

export type StageRequest =
  | { taskId: number; stage: 'patterns'; series: CandleSeries }
  | { taskId: number; stage: 'chart'; series: CandleSeries; report: AnalysisReport }
  | { taskId: number; stage: 'png'; svg: string };

export type StageResult = AnalysisReport | RenderedChart | Uint8Array;

export type StageReply =
  { taskId: number; ok: true; value: StageResult } | { taskId: number; ok: false; message: string };
