/** One row of the analyses table; while the job is active its progress bar follows the live feed. */
import { useEffect } from 'preact/hooks';
import type { Api, Job } from './api';
import { formatTime, isActive, percent } from './format';
import { useProgress } from './hooks';

interface Props {
  api: Api;
  job: Job;
  onFinished: () => void;
}

export function ProgressBar({ fraction, label }: { fraction: number; label: string }) {
  const value = percent(fraction);
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <div class="progress-track">
        <div class="progress-fill" style={{ width: `${value}%` }} />
      </div>
      <span class="progress-text">{value}%</span>
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status}</span>;
}

export function AnalysisRow({ api, job, onFinished }: Props) {
  const events = useProgress(api, job.analysis_id, isActive(job.status));
  const last = events.at(-1);
  // The live feed runs ahead of the listed record; a final event means the record is final too.
  const finalStatus = last && !isActive(last.status) ? last.status : undefined;
  const status = finalStatus ?? job.status;
  useEffect(() => {
    if (finalStatus && isActive(job.status)) onFinished();
  }, [finalStatus]);
  return (
    <tr data-analysis-id={job.analysis_id} data-status={status}>
      <td>
        <a href={`#/analysis/${job.analysis_id}`} class="symbol">
          {job.symbol}
        </a>
        <span class="muted small block">{job.analysis_id}</span>
      </td>
      <td>
        {job.interval} · {job.timeframe}
      </td>
      <td>
        <StatusBadge status={status} />
      </td>
      <td class="progress-cell">
        {status === 'completed' || isActive(status) ? (
          <ProgressBar
            fraction={status === 'completed' ? 1 : (last?.progress ?? 0)}
            label={`Progress of ${job.symbol}`}
          />
        ) : (
          <span class="muted">—</span>
        )}
        {last && isActive(status) && <span class="muted small block">{last.message}</span>}
      </td>
      <td class="nowrap">{formatTime(job.created_at)}</td>
    </tr>
  );
}
