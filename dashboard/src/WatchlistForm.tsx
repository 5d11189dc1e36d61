/**
 * The form a scan and a schedule share: symbols and intervals as lists, and a timeframe; the
 * API's message for each field is shown beside it. What it creates is the caller's.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorMessage, fieldErrors, type Inputs } from './api';

export type WatchlistInput = Inputs['scans']['create'];

interface Props {
  /** Prefix of the element ids (`{idPrefix}-symbols`, `{idPrefix}-form-title`). */
  idPrefix: string;
  title: string;
  description?: ComponentChildren;
  submitLabel: string;
  busyLabel: string;
  /** Creates it; a rejection carries the API's field errors. */
  create: (input: WatchlistInput) => Promise<void>;
  /** Clear the symbols after a success (the page stays, ready for the next one). */
  clearSymbols?: boolean;
  onAuthError: (error: unknown) => void;
}

type Field = 'symbols' | 'intervals' | 'timeframe';

/** "btcusdt, ETHUSDT solusdt" → ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']; the API checks each one. */
const listOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

export function WatchlistForm(props: Props) {
  const { idPrefix } = props;
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
      await props.create({
        symbols: listOf(value('symbols').toUpperCase()),
        // The API names a wrong interval; the field is free text so a list fits on a phone.
        intervals: listOf(value('intervals')) as WatchlistInput['intervals'],
        timeframe: value('timeframe'),
      });
      setErrors({});
      const symbols = formElement.elements.namedItem('symbols');
      if (props.clearSymbols && symbols instanceof HTMLInputElement) symbols.value = '';
    } catch (error) {
      props.onAuthError(error);
      const byField = fieldErrors(error);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const input = (field: Field, label: string, defaultValue: string, placeholder?: string) => (
    <div class="field">
      <label for={`${idPrefix}-${field}`}>{label}</label>
      <input
        id={`${idPrefix}-${field}`}
        name={field}
        defaultValue={defaultValue}
        placeholder={placeholder}
        spellcheck={false}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `${idPrefix}-${field}-error` : undefined}
      />
      {errors[field] && (
        <span id={`${idPrefix}-${field}-error`} class="field-error" data-field-error={field}>
          {errors[field]}
        </span>
      )}
    </div>
  );

  return (
    <form
      class="card scan-form"
      aria-labelledby={`${idPrefix}-form-title`}
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id={`${idPrefix}-form-title`}>{props.title}</h2>
      {props.description}
      <div class="fields">
        {input('symbols', 'Symbols', '', 'BTCUSDT, ETHUSDT')}
        {input('intervals', 'Intervals', '1h, 4h')}
        {input('timeframe', 'Timeframe', '7d')}
        <div class="field">
          <span class="label-space" aria-hidden="true">
            &nbsp;
          </span>
          <button type="submit" disabled={busy}>
            {busy ? props.busyLabel : props.submitLabel}
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
