/**
 * One per worker node: the safety net of fair admission. The finish script admits waiting
 * jobs as jobs end; this ticks on a timer and admits too, so admission never stalls when no
 * job finishes (every job failing into retries, entries skipped as cancelled, a node that has
 * just started). The admit script is atomic, so admitters on several nodes may race safely.
 * A round that admitted a full batch goes again at once.
 */
import type { Logger } from '../config/logger.js';
import type { Admission } from '../storage/admission/admission.js';
import type { Clock } from './clock.js';
import { type ActorParent, type ActorRef, type ChildCrashed, send, spawnActor } from './typedActor.js';

export type AdmitterMessage =
  { type: 'admission.tick' } | { type: 'admission.done'; round: number; admitted: number } | { type: 'periodic.stop' };

export interface AdmitterOptions {
  admission: Pick<Admission, 'admit'>;
  intervalMs: number;
  /** A round still unanswered after this long (Redis unreachable) is given up, so the next can start. */
  timeoutMs: number;
  /** Admitted in one round at most (the script's own cap): a full round ticks again at once. */
  fullRound: number;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
}

interface AdmitterState {
  /** Numbers rounds, so the late answer of one given up is told from the current one's. */
  round: number;
  running: boolean;
  stopped: boolean;
}

export function spawnAdmitterActor(parent: ActorParent, options: AdmitterOptions): ActorRef<AdmitterMessage> {
  const { clock, log } = options;
  return spawnActor<AdmitterState, AdmitterMessage>(parent, {
    name: 'admitter',
    initialState: { round: 0, running: false, stopped: false },
    supervisor: options.supervisor,
    receive(state, message, self) {
      switch (message.type) {
        case 'admission.tick': {
          if (state.running || state.stopped) return state;
          const round = state.round + 1;
          const cancelTimeout = clock.after(options.timeoutMs, () => {
            log.warn({ timeoutMs: options.timeoutMs }, 'admitting waiting jobs did not finish in time; will try again');
            send(self, { type: 'admission.done', round, admitted: 0 });
          });
          options.admission.admit().then(
            (admitted) => {
              cancelTimeout();
              send(self, { type: 'admission.done', round, admitted: admitted.length });
            },
            (error: Error) => {
              cancelTimeout();
              log.warn({ err: error }, 'admitting waiting jobs failed; will try again');
              send(self, { type: 'admission.done', round, admitted: 0 });
            },
          );
          return { ...state, round, running: true };
        }
        case 'admission.done':
          if (message.round !== state.round || !state.running) return state;
          if (!state.stopped) {
            if (message.admitted >= options.fullRound) send(self, { type: 'admission.tick' });
            else clock.after(options.intervalMs, () => send(self, { type: 'admission.tick' }));
          }
          return { ...state, running: false };
        case 'periodic.stop':
          return { ...state, stopped: true };
      }
    },
  });
}
