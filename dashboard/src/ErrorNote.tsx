/** A failed request's message where the list or record would be, announced to screen readers. */
import { errorMessage } from './api';

export function ErrorNote({ error }: { error: unknown }) {
  if (error === undefined) return null;
  return (
    <p class="error" role="alert">
      {errorMessage(error)}
    </p>
  );
}
