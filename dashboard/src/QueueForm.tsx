/** Queue an analysis; the API validates, and its message for each field is shown beside that field. */
import { useState } from 'preact/hooks';
import { INTERVALS } from '../../analysis/intervals.js';
import { errorMessage, fieldErrors, type Api } from './api';

interface Props {
  api: Api;
  onQueued: (analysisId: string) => void;
  onAuthError: (error: unknown) => void;
}

type Field = 'symbol' | 'interval' | 'timeframe';

export function QueueForm({ api, onQueued, onAuthError }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => {
      const entry = form.get(name);
      return typeof entry === 'string' ? entry.trim() : '';
    };
    setBusy(true);
    setNotice(undefined);
    try {
      const queued = await api.analysis.queue.mutate({
        symbol: value('symbol'),
        // The API checks the interval (and names it if it is wrong); the select only offers valid ones.
        interval: value('interval') as (typeof INTERVALS)[number],
        timeframe: value('timeframe'),
      });
      setErrors({});
      setNotice({ kind: 'ok', text: queued.message });
      onQueued(queued.analysis_id);
    } catch (error) {
      onAuthError(error);
      const byField = fieldErrors(error);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setNotice({ kind: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const describedBy = (field: Field) => (errors[field] ? `queue-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    errors[field] && (
      <span id={`queue-${field}-error`} class="field-error" data-field-error={field}>
        {errors[field]}
      </span>
    );

  return (
    <form class="card queue-form" aria-labelledby="queue-title" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="queue-title">Queue an analysis</h2>
      <div class="fields">
        <div class="field">
          <label for="queue-symbol">Symbol</label>
          <input
            id="queue-symbol"
            name="symbol"
            placeholder="BTCUSDT"
            autocapitalize="characters"
            spellcheck={false}
            aria-invalid={errors.symbol ? true : undefined}
            aria-describedby={describedBy('symbol')}
          />
          {fieldError('symbol')}
        </div>
        <div class="field">
          <label for="queue-interval">Interval</label>
          <select
            id="queue-interval"
            name="interval"
            aria-invalid={errors.interval ? true : undefined}
            aria-describedby={describedBy('interval')}
          >
            {INTERVALS.map((interval) => (
              <option value={interval} selected={interval === '1h'}>
                {interval}
              </option>
            ))}
          </select>
          {fieldError('interval')}
        </div>
        <div class="field">
          <label for="queue-timeframe">Timeframe</label>
          <input
            id="queue-timeframe"
            name="timeframe"
            defaultValue="7d"
            spellcheck={false}
            aria-invalid={errors.timeframe ? true : undefined}
            aria-describedby={describedBy('timeframe')}
          />
          {fieldError('timeframe')}
        </div>
        <div class="field">
          <span class="label-space" aria-hidden="true">
            &nbsp;
          </span>
          <button type="submit" disabled={busy}>
            {busy ? 'Queueing…' : 'Queue'}
          </button>
        </div>
      </div>
      {notice && (
        <p class={notice.kind === 'ok' ? 'notice' : 'error'} role="status">
          {notice.text}
        </p>
      )}
    </form>
  );
}
