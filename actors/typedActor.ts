/**
 * A small typed facade over nact 7.6.2, whose `Ref<T>` has no members (so any nact ref
 * type-checks as any other). Every actor here is spawned through `spawnActor`, every message
 * goes through `send`, and a crash always becomes a typed message to whoever supervises
 * the actor (`onCrash`, or a `child.crashed` message to its `supervisor`); the crashed actor
 * is stopped, never resumed: in nact 7.6.2 `resume` after an escalation leaves the child
 * stuck, and `resetAll*` can run two messages of one actor at once.
 *
 * nact finds an actor by its path, so a ref returned by `spawnActor` reaches whichever actor
 * holds that name now, a restarted one included. The `self` a handler gets is bound to one
 * incarnation instead: results and timers of a crashed or stopped incarnation are dropped,
 * rather than reaching its successor (which would, say, run a second timer chain).
 */
import { dispatch, query, spawn, start, stop, type Ref, type SupervisionContext } from 'nact';
import { reportSwallowed } from './actorDiagnostics.js';

const accepts = Symbol('accepts');

/** A reference that only takes messages of type M. */
export interface ActorRef<M> {
  readonly name: string;
  readonly nactRef: Ref<unknown>;
  /** Phantom: makes ActorRef<A> and ActorRef<B> incompatible. */
  readonly [accepts]?: (message: M) => void;
  /** Set on a handler's `self`: that incarnation only. */
  readonly incarnation?: Incarnation;
}

interface Incarnation {
  alive: boolean;
}

/** What a supervised actor's crash becomes: a message to its supervisor naming the child. */
export type ChildCrashed = { type: 'child.crashed'; child: string; error: Error };

/** Anything an actor can be spawned under: the system root or another actor. */
export interface ActorParent {
  readonly nactRef: Ref<unknown>;
}

export interface ActorSystem {
  readonly root: ActorParent;
  shutdown(): void;
}

export type Inspector = (event: { to: string; message: unknown }) => void;

let inspector: Inspector | undefined;

/** Records every message sent (tests and debugging); pass undefined to stop. */
export function inspectMessages(next: Inspector | undefined): void {
  inspector = next;
}

export function startActorSystem(name: string): ActorSystem {
  const system = start(name);
  return { root: { nactRef: system }, shutdown: () => stop(system) };
}

/** The job a message or an actor is about, for logs: job actors are named after their analysis id. */
function jobIdOf(to: { name: string }, message: unknown): string | undefined {
  const analysisId = (message as { analysisId?: unknown } | null)?.analysisId;
  if (typeof analysisId === 'string') return analysisId;
  return to.name.startsWith('analysis_') ? to.name : undefined;
}

/** The one choke point for every message between actors. */
export function send<M>(to: ActorRef<M>, message: M): void {
  inspector?.({ to: to.name, message });
  if (to.incarnation?.alive === false) {
    // As in Erlang, a message to an actor that is gone is dropped: late effect results of an aborted job land here.
    reportSwallowed(
      'late-message-dropped',
      { analysisId: jobIdOf(to, message), to: to.name, message: (message as { type?: unknown }).type },
      undefined,
      'message to an actor that has ended; dropped',
    );
    return;
  }
  try {
    dispatch(to.nactRef as Ref<M>, message);
  } catch (error) {
    reportSwallowed(
      'send-failed',
      { analysisId: jobIdOf(to, message), to: to.name, message: (message as { type?: unknown }).type },
      error,
      'message could not be delivered; dropped',
    );
  }
}

export function stopActor(
  actor: ActorRef<never> | ActorRef<unknown> | { nactRef: Ref<unknown>; incarnation?: Incarnation },
): void {
  if (actor.incarnation) actor.incarnation.alive = false;
  stop(actor.nactRef);
}

/** Asks an actor and waits for its answer; the message carries the reply ref. */
export async function ask<M, R>(
  to: ActorRef<M>,
  makeMessage: (replyTo: ActorRef<R>) => M,
  timeoutMs: number,
): Promise<R> {
  return await query(
    to.nactRef as Ref<M>,
    (temp: Ref<R>) => makeMessage({ name: 'reply', nactRef: temp as Ref<unknown> }),
    timeoutMs,
  );
}

export interface ActorDefinition<S, M> {
  name: string;
  initialState: S;
  /** Handles one message; nact runs them one at a time, in order. Keep it short: long I/O runs as an effect whose result comes back as a message. */
  receive(state: S, message: M, self: ActorRef<M>): S | Promise<S>;
  /** Called with what crashed the handler; tell the supervisor (a typed message). The actor then stops. */
  onCrash?(error: Error, message: M): void;
  /** Told of a crash, after onCrash, as `child.crashed` with this actor's name; it decides on a restart. */
  supervisor?: ActorRef<ChildCrashed>;
}

export function spawnActor<S, M>(parent: ActorParent, definition: ActorDefinition<S, M>): ActorRef<M> {
  const incarnation: Incarnation = { alive: true };
  let self: ActorRef<M> | undefined;
  const nactRef = spawn(
    parent.nactRef,
    // Not async: nact awaits what the handler returns and catches what it throws; one promise fewer per message.
    (state: S, message: M, ctx: { self: Ref<M> }) =>
      definition.receive(
        state,
        message,
        (self ??= { name: definition.name, nactRef: ctx.self as Ref<unknown>, incarnation }),
      ),
    definition.name,
    {
      initialState: definition.initialState,
      onCrash: (message: M | undefined, error: Error | undefined, ctx: SupervisionContext<M, Ref<unknown>>) => {
        incarnation.alive = false;
        const crash = error ?? new Error('unknown crash');
        try {
          if (message !== undefined) definition.onCrash?.(crash, message);
          if (definition.supervisor)
            send(definition.supervisor, { type: 'child.crashed', child: definition.name, error: crash });
        } catch (reportError) {
          // A throwing onCrash would kill the process with an unhandled rejection (nact 7.6.2).
          reportSwallowed(
            'crash-report-failed',
            { analysisId: jobIdOf(definition, message), actor: definition.name, crash },
            reportError,
            'crash report failed',
          );
        }
        return ctx.stop;
      },
    },
  );
  return { name: definition.name, nactRef: nactRef };
}

/** Turns an actor ref into a parent handle for its own children. */
export function asParent(actor: ActorRef<never> | ActorRef<unknown> | { nactRef: Ref<unknown> }): ActorParent {
  return { nactRef: actor.nactRef };
}
