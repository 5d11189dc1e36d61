/**
 * One immediate analysis, start to finish, in the stage order of the job actor: candles,
 * patterns, chart (SVG + PNG, stored), summary (LLM when configured, else rule-based),
 * analysis_data. Runs inside a worker thread (analysisThread.ts), never on the API's loop.
 */
import { buildAnalysisData, type AnalysisData } from '../../analysis/analysisData.js';
import { analyzeSeries } from '../../analysis/analyzeSeries.js';
import { renderChartSvg } from '../../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../../analysis/chart/svgToPng.js';
import type { Interval } from '../../analysis/intervals.js';
import { buildSummaryFacts } from '../../analysis/summary/summaryFacts.js';
import { writeRuleBasedSummary } from '../../analysis/summary/writeRuleBasedSummary.js';
import type { ChartStore } from '../../storage/charts/chartStore.js';
import type { SummarySource } from '../../storage/jobRecord.js';
import type { LlmSummarizer } from '../../integrations/llm/llmSummarizer.js';
import type { CandleSource } from '../../integrations/marketData/candleSource.js';

/** The same outside world a worker's job actor gets (actors/jobServices.ts), built from storage/ alone. */
export interface ImmediateServices {
  candles: CandleSource;
  charts: ChartStore;
  llm: LlmSummarizer | undefined;
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

export async function runImmediateAnalysis(task: ImmediateTask, services: ImmediateServices, signal: AbortSignal): Promise<ImmediateOutcome> {
  const series = await services.candles.load({ symbol: task.symbol, interval: task.interval, timeframe: task.timeframe, signal });
  const report = analyzeSeries(series);
  signal.throwIfAborted();
  const svg = renderChartSvg(series, report);
  await services.charts.save(task.analysisId, { svg, png: svgToPng(svg) });
  const facts = buildSummaryFacts(series, report);
  let summary = writeRuleBasedSummary(facts);
  let summarySource: SummarySource = 'rule-based';
  if (services.llm) {
    try {
      summary = await services.llm.summarize(facts, signal);
      summarySource = 'llm';
    } catch {
      signal.throwIfAborted(); // an LLM failure falls back to the rule-based text, as the job actor does
    }
  }
  return { imageUrl: `/charts/${task.analysisId}.png`, summary, summarySource, analysisData: buildAnalysisData(series, report) };
}
