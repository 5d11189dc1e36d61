/** Create a schedule: the same symbols, intervals and timeframe as a scan; the API's message for each field is shown beside it. */
import { useState } from 'preact/hooks';
import { errorMessage, fieldErrors, type Api, type Inputs } from './api';

interface Props {
  api: Api;
  onCreated: (scheduleId: string) => void;
  onAuthError: (error: unknown) => void;
}

type Field = 'symbols' | 'intervals' | 'timeframe';
type ScheduleInput = Inputs['schedules']['create'];

/** "btcusdt, ETHUSDT solusdt" → ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']; the API checks each one. */
const listOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

export function ScheduleForm({ api, onCreated, onAuthError }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const value = (name: string) => {
      const entry = form.get(name);
      return typeof entry === 'string' ? entry.trim() : '';
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await api.schedules.create.mutate({
        symbols: listOf(value('symbols').toUpperCase()),
        // The API names a wrong interval; the field is free text so a list fits on a phone.
        intervals: listOf(value('intervals')) as ScheduleInput['intervals'],
        timeframe: value('timeframe'),
      });
      setErrors({});
      // The page stays here (the new schedule joins the list), so the symbols are cleared for the next one.
      const symbols = formElement.elements.namedItem('symbols');
      if (symbols instanceof HTMLInputElement) symbols.value = '';
      onCreated(created.schedule_id);
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
      <label for={`schedule-${field}`}>{label}</label>
      <input
        id={`schedule-${field}`}
        name={field}
        defaultValue={defaultValue}
        placeholder={placeholder}
        spellcheck={false}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `schedule-${field}-error` : undefined}
      />
      {errors[field] && (
        <span id={`schedule-${field}-error`} class="field-error" data-field-error={field}>
          {errors[field]}
        </span>
      )}
    </div>
  );

  return (
    <form
      class="card scan-form"
      aria-labelledby="schedule-form-title"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id="schedule-form-title">New schedule</h2>
      <p class="muted small">A schedule starts a scan of these symbols each time a candle of its intervals closes.</p>
      <div class="fields">
        {input('symbols', 'Symbols', '', 'BTCUSDT, ETHUSDT')}
        {input('intervals', 'Intervals', '1h, 4h')}
        {input('timeframe', 'Timeframe', '7d')}
        <div class="field">
          <span class="label-space" aria-hidden="true">
            &nbsp;
          </span>
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create schedule'}
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
