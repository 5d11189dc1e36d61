/** The sign-in form: one token field; the token goes to sessionStorage, never into a URL. */
import { useState } from 'preact/hooks';

interface Props {
  onSignIn: (token: string) => Promise<void>;
  problem: string | undefined;
}

export function SignIn({ onSignIn, problem }: Props) {
  const [busy, setBusy] = useState(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const token = new FormData(event.currentTarget as HTMLFormElement).get('token');
    if (typeof token !== 'string' || token.trim() === '') return;
    setBusy(true);
    await onSignIn(token.trim());
    setBusy(false);
  };
  return (
    <main class="page signin">
      <h1>Candela</h1>
      <p class="muted">Market analyses, queued and followed live.</p>
      {/* method=post: should script ever fail to run, the token is still not put in the URL. */}
      <form method="post" class="card" onSubmit={(event) => void submit(event)} aria-describedby="signin-problem">
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          placeholder="eyJhbGciOi…"
          aria-invalid={problem ? true : undefined}
        />
        <p class="muted small">
          A JWT from <code>candela token USER</code> (add <code>--admin</code> for the admin views).
        </p>
        {problem && (
          <p id="signin-problem" class="error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
