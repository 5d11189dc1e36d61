/** What a job actor's children answer: a stage result, or the failure that crashed them. */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import type { SummarySource } from '../storage/jobRecord.js';

export type JobStage = 'candles' | 'patterns' | 'chart' | 'summary';

export type StageReply =
  | { type: 'candles.loaded'; series: CandleSeries }
  | { type: 'patterns.done'; report: AnalysisReport }
  | { type: 'chart.done'; imageUrl: string }
  | { type: 'summary.done'; text: string; source: SummarySource }
  | { type: 'stage.failed'; stage: JobStage; error: Error };
