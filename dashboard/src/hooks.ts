/** The few hooks the views share: a repeating query, the hash route, and a job's live progress. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage, type Api } from './api';

/** Nothing in the dashboard asks the API more often than this. */
export const MIN_REFRESH_MS = 1000;

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

/** Runs `load` now, whenever `deps` change, and every `everyMs` (at least a second) while mounted. */
export function usePolled<T>(load: () => Promise<T>, deps: unknown[], everyMs: number): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    latest.current().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
      },
      (failure: unknown) => live && setError(failure),
    );
    const timer = setTimeout(() => setTick((count) => count + 1), Math.max(MIN_REFRESH_MS, everyMs));
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((count) => count + 1) };
}

export function useHashRoute(): string {
  const read = () => location.hash.replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export interface ProgressEntry {
  id: string;
  status: string;
  stage: string;
  progress: number;
  message: string;
  at: number;
}

/** Every progress event of a job, replayed from its log and then live, until its final event. */
export function useProgress(api: Api, analysisId: string, enabled: boolean): ProgressEntry[] {
  const [events, setEvents] = useState<ProgressEntry[]>([]);
  useEffect(() => {
    if (!enabled) return;
    setEvents([]);
    const subscription = api.analysis.progress.subscribe(
      { analysis_id: analysisId, lastEventId: null },
      {
        onData: ({ id, data }) =>
          setEvents((previous) =>
            previous.some((event) => event.id === id)
              ? previous
              : [
                  ...previous,
                  {
                    id,
                    status: data.status,
                    stage: data.stage,
                    progress: data.progress,
                    message: data.message,
                    at: data.at,
                  },
                ],
          ),
      },
    );
    return () => subscription.unsubscribe();
  }, [api, analysisId, enabled]);
  return events;
}

/**
 * Calls `reload` at most once a second after `subscribe`'s feed says something changed: a scan
 * of a thousand children ends a thousand times, and the page need not re-read for each.
 */
export function useReloadOnEvents(
  subscribe: (changed: () => void) => { unsubscribe: () => void },
  reload: () => void,
  deps: unknown[],
): void {
  const latest = useRef(reload);
  latest.current = reload;
  useEffect(() => {
    let changed = false;
    const subscription = subscribe(() => (changed = true));
    const timer = setInterval(() => {
      if (!changed) return;
      changed = false;
      latest.current();
    }, MIN_REFRESH_MS);
    return () => {
      clearInterval(timer);
      subscription.unsubscribe();
    };
  }, deps);
}

export interface CancelAction {
  busy: boolean;
  /** The API's answer, or why the cancel failed. */
  text?: string;
  failed?: boolean;
  run: () => Promise<void>;
}

/** A Cancel button's state: busy while `send` runs, then its message; `after` re-reads the record either way. */
export function useCancelAction(
  send: () => Promise<{ message: string }>,
  onAuthError: (error: unknown) => void,
  after: () => void,
): CancelAction {
  const [state, setState] = useState<Omit<CancelAction, 'run'>>({ busy: false });
  const run = async () => {
    setState({ busy: true });
    try {
      const answer = await send();
      setState({ busy: false, text: answer.message });
    } catch (error) {
      onAuthError(error);
      setState({ busy: false, text: errorMessage(error), failed: true });
    }
    after();
  };
  return { ...state, run };
}
