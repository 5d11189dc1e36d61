/** Start a scan: symbols and intervals as lists; the API's message for each field is shown beside it. */
import { useState } from 'preact/hooks';
import { errorMessage, fieldErrors, type Api, type Inputs } from './api';

interface Props {
  api: Api;
  onCreated: (scanId: string) => void;
  onAuthError: (error: unknown) => void;
}

type Field = 'symbols' | 'intervals' | 'timeframe';
type ScanInput = Inputs['scans']['create'];

/** "btcusdt, ETHUSDT solusdt" → ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']; the API checks each one. */
const listOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

export function ScanForm({ api, onCreated, onAuthError }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => {
      const entry = form.get(name);
      return typeof entry === 'string' ? entry.trim() : '';
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await api.scans.create.mutate({
        symbols: listOf(value('symbols').toUpperCase()),
        // The API names a wrong interval; the field is free text so a list fits on a phone.
        intervals: listOf(value('intervals')) as ScanInput['intervals'],
        timeframe: value('timeframe'),
      });
      setErrors({});
      onCreated(created.scan_id);
    } catch (error) {
      onAuthError(error);
      const byField = fieldErrors(error);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const input = (field: Field, label: string, defaultValue: string, placeholder?: string) => (
    <div class="field">
      <label for={`scan-${field}`}>{label}</label>
      <input
        id={`scan-${field}`}
        name={field}
        defaultValue={defaultValue}
        placeholder={placeholder}
        spellcheck={false}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `scan-${field}-error` : undefined}
      />
      {errors[field] && (
        <span id={`scan-${field}-error`} class="field-error" data-field-error={field}>
          {errors[field]}
        </span>
      )}
    </div>
  );

  return (
    <form class="card scan-form" aria-labelledby="scan-form-title" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="scan-form-title">Start a scan</h2>
      <div class="fields">
        {input('symbols', 'Symbols', '', 'BTCUSDT, ETHUSDT')}
        {input('intervals', 'Intervals', '1h, 4h')}
        {input('timeframe', 'Timeframe', '7d')}
        <div class="field">
          <span class="label-space" aria-hidden="true">
            &nbsp;
          </span>
          <button type="submit" disabled={busy}>
            {busy ? 'Starting…' : 'Start scan'}
          </button>
        </div>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
