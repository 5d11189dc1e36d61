/** One analysis: its record, live progress timeline, and once completed the chart, summary and tables; Cancel while active. */
import { useEffect } from 'preact/hooks';
import type { Api } from './api';
import { ProgressBar, StatusBadge } from './AnalysisRow';
import { formatTime, isActive } from './format';
import { useCancelAction, usePolled, useProgress } from './hooks';
import { NotLoaded } from './NotLoaded';
import { ProgressTimeline } from './ProgressTimeline';
import { asAnalysisData, ResultTables } from './ResultTables';

interface Props {
  api: Api;
  analysisId: string;
  onAuthError: (error: unknown) => void;
}

const SUMMARY_SOURCES: Record<string, string> = {
  llm: 'written by the language model',
  'rule-based': 'rule-based (no language model)',
};

export function AnalysisPage({ api, analysisId, onAuthError }: Props) {
  const record = usePolled(
    () =>
      api.analysis.status.query({ analysis_id: analysisId }).catch((error: unknown) => {
        onAuthError(error);
        throw error;
      }),
    [api, analysisId],
    // The timeline is live; the record is re-read when its final event arrives, and slowly otherwise.
    10_000,
  );
  const events = useProgress(api, analysisId, true);
  const last = events.at(-1);
  const cancel = useCancelAction(
    () => api.analysis.cancel.mutate({ analysis_id: analysisId }),
    onAuthError,
    () => record.reload(),
  );

  useEffect(() => {
    if (last && !isActive(last.status)) record.reload();
  }, [last?.status]);

  const job = record.data;
  if (!job) return <NotLoaded error={record.error} backHref="#/" backText="← Back to your analyses" />;

  const status = last && !isActive(last.status) ? last.status : job.status;
  const data = asAnalysisData(job.analysis_data);

  return (
    <article class="analysis" data-analysis-id={job.analysis_id} data-status={status}>
      <a href="#/" class="back">
        ← Your analyses
      </a>
      <header class="card analysis-head">
        <div>
          <h1>
            {job.symbol}{' '}
            <span class="muted">
              {job.interval} · {job.timeframe}
            </span>
          </h1>
          <p class="muted small">
            {job.analysis_id} · queued {formatTime(job.created_at)} · updated {formatTime(job.updated_at)} · retries{' '}
            {job.attempts}
          </p>
        </div>
        <div class="head-side">
          <StatusBadge status={status} />
          {isActive(status) && (
            <button type="button" class="danger" onClick={() => void cancel.run()} disabled={cancel.busy}>
              {cancel.busy ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
        </div>
        <ProgressBar fraction={status === 'completed' ? 1 : (last?.progress ?? 0)} label="Progress" />
        {cancel.text && (
          <p class={cancel.failed ? 'error' : 'notice'} role="status">
            {cancel.text}
          </p>
        )}
        {job.error && (
          <p class="error" role="alert">
            {job.error}
          </p>
        )}
      </header>

      {job.status === 'completed' && (
        <section class="card" aria-labelledby="result-title">
          <h2 id="result-title">Result</h2>
          <div class="result-top">
            {job.image_url && (
              <img
                class="chart"
                src={job.image_url}
                alt={`Chart of ${job.symbol} ${job.interval} over ${job.timeframe}`}
              />
            )}
            <div class="summary">
              <h3>Summary</h3>
              <p class="summary-text">{job.llm_summary ?? 'No summary.'}</p>
              {job.summary_source && (
                <p class="muted small" data-summary-source={job.summary_source}>
                  Source: {SUMMARY_SOURCES[job.summary_source] ?? job.summary_source}
                </p>
              )}
            </div>
          </div>
          {data && <ResultTables data={data} />}
        </section>
      )}

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Progress</h2>
        <ProgressTimeline events={events} />
      </section>
    </article>
  );
}
