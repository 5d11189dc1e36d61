/** Sign-in, then the views a token allows: the user's analyses, scans, schedules and alerts, and (admin) the queue and workers. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { connect, errorMessage, isAuthError, type Connection } from './api';
import { AdminPage } from './AdminPage';
import { AlertsPage } from './AlertsPage';
import { AnalysesPage } from './AnalysesPage';
import { AnalysisPage } from './AnalysisPage';
import { useHashRoute } from './hooks';
import { ScanPage } from './ScanPage';
import { ScansPage } from './ScansPage';
import { SchedulesPage } from './SchedulesPage';
import { forgetToken, readClaims, saveToken, savedToken, type Claims } from './session';
import { SignIn } from './SignIn';

interface Session {
  token: string;
  claims: Claims;
  connection: Connection;
}

/** A rejected token reads as the API says it (expired, invalid, no subject…). */
function rejection(error: unknown): string {
  const message = errorMessage(error);
  return isAuthError(error) ? `Token rejected: ${message}` : `Could not sign in: ${message}`;
}

async function openSession(token: string): Promise<Session> {
  const claims = readClaims(token);
  if (!claims) throw new Error('Token rejected: this is not a Candela token (a JWT from `candela token USER`)');
  const connection = connect(token);
  try {
    // Any authenticated call checks the token; this one is cheap.
    await connection.api.queue.stats.query();
    return { token, claims, connection };
  } catch (error) {
    connection.close();
    throw new Error(rejection(error), { cause: error });
  }
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [restoring, setRestoring] = useState(() => savedToken() !== null);
  const route = useHashRoute();

  const signIn = async (token: string) => {
    setProblem(undefined);
    try {
      const opened = await openSession(token);
      saveToken(token);
      setSession(opened);
    } catch (error) {
      forgetToken();
      setProblem(errorMessage(error));
    }
  };

  const signOut = (reason?: string) => {
    session?.connection.close();
    forgetToken();
    setSession(undefined);
    setProblem(reason);
  };

  useEffect(() => {
    const token = savedToken();
    if (token) void signIn(token).finally(() => setRestoring(false));
  }, []);

  // A token that expires while the page is open ends the session with a message, not a broken page.
  useEffect(() => {
    const expiresAt = session?.claims.expiresAt;
    if (expiresAt === undefined) return;
    const timer = setTimeout(
      () => signOut('Your token expired: sign in with a new one.'),
      Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1),
    );
    return () => clearTimeout(timer);
  }, [session]);

  const onAuthError = useMemo(
    () => (error: unknown) => {
      if (isAuthError(error)) signOut(`Signed out: ${errorMessage(error)}`);
    },
    [session],
  );

  if (!session)
    return restoring ? <main class="page" aria-busy="true" /> : <SignIn onSignIn={signIn} problem={problem} />;
  const { api } = session.connection;
  const analysisId = /^\/analysis\/([\w-]+)$/.exec(route)?.[1];
  const scanId = /^\/scan\/([\w-]+)$/.exec(route)?.[1];
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">
          Candela
        </a>
        <nav aria-label="Main">
          <a href="#/" aria-current={route === '/' ? 'page' : undefined}>
            Analyses
          </a>
          <a href="#/scans" aria-current={route === '/scans' || scanId ? 'page' : undefined}>
            Scans
          </a>
          <a href="#/schedules" aria-current={route === '/schedules' ? 'page' : undefined}>
            Schedules
          </a>
          <a href="#/alerts" aria-current={route === '/alerts' ? 'page' : undefined}>
            Alerts
          </a>
          {session.claims.admin && (
            <a href="#/admin" aria-current={route === '/admin' ? 'page' : undefined}>
              Admin
            </a>
          )}
        </nav>
        <span class="who" data-user={session.claims.user}>
          {session.claims.user}
          {session.claims.admin && <span class="badge">admin</span>}
        </span>
        <button type="button" class="secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main class="page">
        {analysisId ? (
          <AnalysisPage api={api} analysisId={analysisId} onAuthError={onAuthError} />
        ) : scanId ? (
          <ScanPage api={api} scanId={scanId} onAuthError={onAuthError} />
        ) : route === '/scans' ? (
          <ScansPage api={api} onAuthError={onAuthError} />
        ) : route === '/schedules' ? (
          <SchedulesPage api={api} onAuthError={onAuthError} />
        ) : route === '/alerts' ? (
          <AlertsPage api={api} onAuthError={onAuthError} />
        ) : route === '/admin' && session.claims.admin ? (
          <AdminPage api={api} onAuthError={onAuthError} />
        ) : (
          <AnalysesPage api={api} onAuthError={onAuthError} />
        )}
      </main>
    </>
  );
}
