/**
 * One job actor per claimed job. It loads the candles, then fans out to its children
 * (patterns, then chart and summary in parallel), emits a progress event per stage, and
 * reports one outcome to its consumer (its supervisor, which decides on retries). Every await
 * honours the job's AbortSignal; a child's crash arrives as a `stage.failed` message, never as
 * silence. A timer from the injected clock aborts a job that outlives ANALYSIS_JOB_TIMEOUT
 * (a retryable failure). Market-data outcomes are reported to the node's circuit breakers.
 */
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import { buildAnalysisData } from '../analysis/analysisData.js';
import type { CandleSeries } from '../analysis/candles.js';
import type { Interval } from '../analysis/intervals.js';
import { loadCandles } from '../pipeline/loadCandles.js';
import { describeError, isPermanent, RetryableFailure } from '../storage/failures.js';
import type { JobRecord, SummarySource } from '../storage/jobRecord.js';
import type { ProgressStage } from '../storage/progressEvent.js';
import { reportSwallowed } from './actorDiagnostics.js';
import { spawnChartActor } from './chartActor.js';
import type { Clock } from './clock.js';
import type { JobAbortReason, JobOutcome } from './jobOutcome.js';
import type { JobServices } from './jobServices.js';
import { spawnPatternActor } from './patternActor.js';
import type { StageReply } from './stageReply.js';
import { spawnSummaryActor } from './summaryActor.js';
import { type ActorParent, type ActorRef, asParent, send, spawnActor, stopActor } from './typedActor.js';

export type JobMessage = { type: 'job.start' } | { type: 'job.abort'; reason: JobAbortReason } | StageReply;

export interface JobActorOptions {
  record: JobRecord;
  services: JobServices;
  /** Appends a stage event; resolves false when this worker no longer owns the job. */
  reportProgress(stage: ProgressStage, progress: number, message: string): Promise<boolean>;
  /** Called exactly once. */
  onOutcome(outcome: JobOutcome): void;
  /** ANALYSIS_JOB_TIMEOUT: past it the job is aborted and counts as a retryable failure. */
  timeoutMs: number;
  clock: Clock;
}

interface JobState {
  series?: CandleSeries;
  report?: AnalysisReport;
  imageUrl?: string;
  summary?: { text: string; source: SummarySource };
  done: boolean;
}

export function spawnJobActor(parent: ActorParent, options: JobActorOptions): ActorRef<JobMessage> {
  const { record, services } = options;
  const controller = new AbortController();
  const signal = controller.signal;
  let cancelTimeout: (() => void) | undefined;

  const progress = (stage: ProgressStage, fraction: number, message: string, self: ActorRef<JobMessage>) => {
    options.reportProgress(stage, fraction, message).then(
      (stillOwned) => stillOwned || send(self, { type: 'job.abort', reason: 'ownership-lost' }),
      // A lost progress event is not worth failing the job for; it is logged and counted.
      (error: unknown) =>
        reportSwallowed(
          'progress-write-failed',
          { analysisId: record.analysis_id, stage },
          error,
          'progress event could not be written; the job goes on',
        ),
    );
  };

  const end = (state: JobState, outcome: JobOutcome, self: ActorRef<JobMessage>): JobState => {
    if (state.done) return state;
    cancelTimeout?.();
    // A completed job has no stage left to stop; the abort's Error (its stack trace) and the
    // listeners it runs were a measurable share of a short job's cost.
    if (outcome.status !== 'completed')
      controller.abort(new Error(outcome.status === 'failed' ? outcome.error : outcome.status));
    options.onOutcome(outcome);
    stopActor(self);
    return { ...state, done: true };
  };

  const finishIfComplete = (state: JobState, self: ActorRef<JobMessage>): JobState => {
    if (!state.series || !state.report || !state.imageUrl || !state.summary) return state;
    return end(
      state,
      {
        status: 'completed',
        result: {
          image_url: state.imageUrl,
          llm_summary: state.summary.text,
          summary_source: state.summary.source,
          analysis_data: buildAnalysisData(state.series, state.report),
        },
      },
      self,
    );
  };

  return spawnActor<JobState, JobMessage>(parent, {
    name: record.analysis_id.toLowerCase(),
    initialState: { done: false },
    receive(state, message, self) {
      if (state.done) return state;
      const replyTo = self as ActorRef<StageReply>;
      switch (message.type) {
        case 'job.start':
          cancelTimeout = options.clock.after(options.timeoutMs, () =>
            send(self, { type: 'job.abort', reason: 'timeout' }),
          );
          loadCandles(
            services.candles,
            {
              symbol: record.symbol,
              interval: record.interval as Interval,
              timeframe: record.timeframe,
              ...(record.candles_until === undefined ? {} : { until: record.candles_until }),
            },
            signal,
          ).then(
            (series) => send(self, { type: 'candles.loaded', series }),
            (error: Error) => send(self, { type: 'stage.failed', stage: 'candles', error }),
          );
          return state;
        case 'candles.loaded':
          services.dependencies.report('market-data', true);
          progress('candles', 0.25, `loaded ${message.series.candles.length} ${message.series.source} candles`, self);
          send(spawnPatternActor(asParent(self), services, replyTo), {
            type: 'patterns.run',
            series: message.series,
            signal,
          });
          return { ...state, series: message.series };
        case 'patterns.done': {
          progress('patterns', 0.5, 'patterns detected', self);
          const series = state.series!;
          send(spawnChartActor(asParent(self), services, replyTo), {
            type: 'chart.run',
            analysisId: record.analysis_id,
            series,
            report: message.report,
            signal,
          });
          send(spawnSummaryActor(asParent(self), services.llm, services.dependencies, replyTo), {
            type: 'summary.run',
            analysisId: record.analysis_id,
            series,
            report: message.report,
            signal,
          });
          return { ...state, report: message.report };
        }
        case 'chart.done':
          progress('chart', fanOutProgress(state), 'chart rendered', self);
          return finishIfComplete({ ...state, imageUrl: message.imageUrl }, self);
        case 'summary.done':
          progress('summary', fanOutProgress(state), `summary written (${message.source})`, self);
          return finishIfComplete({ ...state, summary: { text: message.text, source: message.source } }, self);
        case 'stage.failed':
          // A permanent failure (an unknown symbol) is an answer: the source itself is fine.
          if (message.stage === 'candles' && !isPermanent(message.error))
            services.dependencies.report('market-data', false);
          return end(state, failedOutcome(message.stage, message.error), self);
        case 'job.abort':
          if (message.reason === 'timeout' && !state.series) services.dependencies.report('market-data', false);
          return end(
            state,
            abortOutcome(message.reason, options.timeoutMs, state.series ? 'analysis' : 'candles'),
            self,
          );
      }
    },
    onCrash: (error) => {
      controller.abort(error);
      options.onOutcome({ status: 'failed', error: `job actor crashed: ${error.message}`, retryable: true });
    },
  });
}

/** Chart and summary run in parallel: whichever ends first is 75 %, the second 90 %, so progress never goes back. */
function fanOutProgress(stateBefore: JobState): number {
  return stateBefore.imageUrl || stateBefore.summary ? 0.9 : 0.75;
}

function failedOutcome(stage: string, error: Error): JobOutcome {
  const retryAfterMs = error instanceof RetryableFailure ? error.retryAfterMs : undefined;
  return {
    status: 'failed',
    error: `${stage}: ${describeError(error)}`,
    retryable: !isPermanent(error),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

function abortOutcome(reason: JobAbortReason, timeoutMs: number, stage: string): JobOutcome {
  switch (reason) {
    case 'cancelled':
      return { status: 'cancelled', reason: 'cancelled by the user' };
    case 'timeout':
      return {
        status: 'failed',
        error: `${stage}: job timed out after ${timeoutMs / 1000} s (ANALYSIS_JOB_TIMEOUT)`,
        retryable: true,
      };
    default:
      return { status: 'abandoned', reason };
  }
}
