/**
 * One immediate analysis, start to finish: the pipeline stages a worker's job actor runs
 * (candles, patterns, then chart and summary side by side), and analysis_data. Runs inside
 * an analysis thread (analysisThread.ts), never on the API's event loop.
 */
import { buildAnalysisData, type AnalysisData } from '../../analysis/analysisData.js';
import type { Interval } from '../../analysis/intervals.js';
import type { Logger } from '../../config/logger.js';
import { detectPatterns } from '../../pipeline/detectPatterns.js';
import type { LlmGate } from '../../pipeline/llmGate.js';
import { loadCandles } from '../../pipeline/loadCandles.js';
import type { PipelineServices } from '../../pipeline/pipelineServices.js';
import { renderChart } from '../../pipeline/renderChart.js';
import { writeSummary } from '../../pipeline/writeSummary.js';
import type { SummarySource } from '../../storage/jobRecord.js';

export interface ImmediateServices extends PipelineServices {
  /** The thread's own LLM breaker: the API has no node supervisor to hold one. */
  llmGate: LlmGate;
  log: Logger;
}

export interface ImmediateTask {
  analysisId: string;
  symbol: string;
  interval: Interval;
  timeframe: string;
}

export interface ImmediateOutcome {
  /** Where the chart was stored, as the job actor records it: `/charts/{id}.png`. */
  imageUrl: string;
  summary: string;
  summarySource: SummarySource;
  analysisData: AnalysisData;
}

export async function runImmediateAnalysis(
  task: ImmediateTask,
  services: ImmediateServices,
  signal: AbortSignal,
): Promise<ImmediateOutcome> {
  const series = await loadCandles(services.candles, task, signal);
  const report = detectPatterns(series, signal);
  // The summary first: its LLM request is under way while the chart renders.
  const summaryServices = { llm: services.llm, gate: services.llmGate, log: services.log };
  const [summary, imageUrl] = await Promise.all([
    writeSummary(task.analysisId, series, report, summaryServices, signal),
    renderChart(services.charts, services.rasterize, task.analysisId, series, report, signal),
  ]);
  return {
    imageUrl,
    summary: summary.text,
    summarySource: summary.source,
    analysisData: buildAnalysisData(series, report),
  };
}
