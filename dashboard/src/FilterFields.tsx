/** The fields every filter form is made of, and reading them back as trimmed text. */
interface ChoiceProps {
  label: string;
  name: string;
  choices: readonly string[];
  /** What a choice shows, where it differs from its value. */
  labelOf?: (choice: string) => string;
}

/** A select whose empty first option means "any". */
export function ChoiceFilter({ label, name, choices, labelOf }: ChoiceProps) {
  return (
    <label>
      {label}
      <select name={name}>
        <option value="">any</option>
        {choices.map((choice) => (
          <option value={choice}>{labelOf ? labelOf(choice) : choice}</option>
        ))}
      </select>
    </label>
  );
}

export function SymbolFilter() {
  return (
    <label>
      Symbol
      <input name="symbol" placeholder="any" spellcheck={false} />
    </label>
  );
}

export function FilterButtons() {
  return (
    <div class="buttons">
      <button type="submit">Filter</button>
      <button type="reset" class="secondary">
        Clear
      </button>
    </div>
  );
}

/** A form's fields by name, trimmed; a missing or file field reads as ''. */
export function formText(form: HTMLFormElement): (name: string) => string {
  const data = new FormData(form);
  return (name) => {
    const entry = data.get(name);
    return typeof entry === 'string' ? entry.trim() : '';
  };
}
