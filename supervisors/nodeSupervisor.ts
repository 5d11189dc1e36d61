/**
 * The worker node's supervisor actor. It owns every long-lived actor of the node (the
 * consumers, the reclaimer, the retry scheduler, the heartbeat, the retention sweeper and,
 * with MongoDB, the archiver, which runs its own MongoDB breaker) and the node's circuit
 * breakers (one per dependency), and it runs the node's shutdown.
 *
 * Supervision, OTP-style: each child reports its crash as a `child.crashed` message; the
 * supervisor restarts it under the same name (so a consumer finds its own pending entries,
 * and every ref held elsewhere stays valid) after a backoff, within a restart intensity per
 * kind of child (supervisionPolicy.ts); past it, it escalates to the process, which exits
 * non-zero and lets its process manager start a fresh one. A child is restarted or the
 * process ends: none is left stopped while the node runs.
 *
 * Shutdown is messages, handled here, so a child restarted in the middle of it is started in
 * the node's current mode: `node.drain` stops the periodic children and every consumer's
 * reading, and answers once every consumer reports it holds nothing (or the grace period is
 * over, after which in-flight jobs are aborted and left pending for reclaim); `node.abort`
 * aborts in-flight jobs; `node.deregister` removes the heartbeat and the idle consumers.
 *
 * Circuits: dependency outcomes arrive as messages and feed the breakers; a call that may
 * meet an open breaker asks first (`dependency.permit`). While market data or the store is
 * open the consumers stop pulling (half-open: one trial job), and every change is logged and
 * shown in the heartbeat.
 */
import { type ArchiverMessage, type ArchiverOptions, spawnArchiverActor } from '../actors/archiverActor.js';
import type { Clock } from '../actors/clock.js';
import { type ConsumerMessage, type ConsumerOptions, spawnConsumerActor } from '../actors/consumerActor.js';
import type { ConsumerGate } from '../actors/consumerGate.js';
import type { Dependency, DependencyGate } from '../actors/dependencyGate.js';
import { type HeartbeatMessage, spawnHeartbeatActor, type HeartbeatOptions } from '../actors/heartbeatActor.js';
import type { ExternalServices } from '../actors/jobServices.js';
import { type ReclaimerMessage, type ReclaimerOptions, spawnReclaimerActor } from '../actors/reclaimerActor.js';
import {
  type RetentionSweeperMessage,
  type RetentionSweeperOptions,
  spawnRetentionSweeperActor,
} from '../actors/retentionSweeperActor.js';
import {
  type RetrySchedulerMessage,
  type RetrySchedulerOptions,
  spawnRetrySchedulerActor,
} from '../actors/retrySchedulerActor.js';
import {
  type ActorParent,
  type ActorRef,
  asParent,
  ask,
  type ChildCrashed,
  send,
  spawnActor,
} from '../actors/typedActor.js';
import type { Logger } from '../config/logger.js';
import type { ConsumerQueue } from '../storage/consumerQueue.js';
import { type CircuitBoard, type CircuitChange, createCircuitBoard } from './circuitBoard.js';
import type { CircuitSettings } from '../pipeline/circuitBreaker.js';
import { settleWithin } from './settleWithin.js';
import {
  decideOnCrash,
  NODE_CHILD_POLICIES,
  type NodeChildKind,
  noRestarts,
  type RestartHistory,
  type RestartPolicy,
} from './supervisionPolicy.js';

/** Refs by name: they reach the current incarnation of each child, restarted ones included. */
export interface NodeChildren {
  consumers: ActorRef<ConsumerMessage>[];
  reclaimer: ActorRef<ReclaimerMessage>;
  scheduler: ActorRef<RetrySchedulerMessage>;
  heartbeat: ActorRef<HeartbeatMessage>;
  /** Only when retention is configured (worker nodes always configure it). */
  retention: ActorRef<RetentionSweeperMessage> | undefined;
  /** Only when MongoDB is configured. */
  archiver: ActorRef<ArchiverMessage> | undefined;
}

/** A further periodic child (webhook delivery, schedules): started with the node, stopped when it drains. */
export interface PeriodicChild {
  start(parent: ActorParent, supervisor: ActorRef<ChildCrashed>): ActorRef<{ type: 'periodic.stop' }>;
}

export interface DrainReport {
  /** Every consumer ended its work within the grace period. */
  drained: boolean;
  /** Consumers still holding work when the grace period ran out (their jobs were aborted). */
  stillBusy: string[];
}

export type SupervisorMessage =
  | { type: 'node.start'; replyTo: ActorRef<NodeChildren> }
  | ChildCrashed
  | { type: 'child.restart'; child: string }
  | { type: 'consumer.drained'; consumer: string }
  | { type: 'node.cancelJob'; analysisId: string }
  | { type: 'dependency.reported'; dependency: Dependency; ok: boolean }
  | { type: 'dependency.permit'; dependency: Dependency; replyTo: ActorRef<boolean> }
  | { type: 'circuit.elapsed'; dependency: Dependency }
  | { type: 'node.drain'; graceMs: number; replyTo: ActorRef<DrainReport> }
  | { type: 'drain.deadline' }
  | { type: 'node.abort' }
  | { type: 'node.deregister'; replyTo: ActorRef<boolean> };

export interface SupervisorOptions {
  consumer: (index: number) => Omit<ConsumerOptions, 'supervisor' | 'metrics' | 'services'>;
  consumerCount: number;
  services: ExternalServices;
  circuit: CircuitSettings;
  reclaimer: Omit<ReclaimerOptions, 'consumers' | 'supervisor'>;
  scheduler: Omit<RetrySchedulerOptions, 'supervisor'>;
  heartbeat: Omit<HeartbeatOptions, 'consumerNames' | 'supervisor'>;
  retention?: Omit<RetentionSweeperOptions, 'supervisor'>;
  /** Archiving into MongoDB (the outbox stream's consumer); none without MONGODB_URL. */
  archiver?: Omit<ArchiverOptions, 'supervisor'>;
  /** Further periodic children (webhook delivery), each started with the supervisor as its parent. */
  periodic?: readonly PeriodicChild[];
  /** What deregistering needs: the group's consumers, and how long each Redis call may take. */
  deregistration: { queue: Pick<ConsumerQueue, 'removeConsumerIfIdle'>; timeoutMs: number };
  /** Restart policy per kind of child; the node's defaults otherwise. */
  policies?: Partial<Record<NodeChildKind, RestartPolicy>>;
  clock: Clock;
  log: Logger;
  /** Restart intensity exceeded, or the supervisor itself crashed: the node cannot heal itself. */
  onEscalate: (error: Error) => void;
}

/** How long a summary stage waits for the supervisor's answer before it treats the LLM's circuit as open. */
const PERMIT_TIMEOUT_MS = 2000;

/** Market data or the store failing: pull nothing (half-open: one trial job). The LLM has its own fallback. */
function pullGate(board: CircuitBoard): ConsumerGate {
  const states = [board.state('market-data'), board.state('store')];
  if (states.includes('open')) return 'paused';
  return states.includes('half-open') ? 'trial' : 'open';
}

interface Drain {
  replyTo: ActorRef<DrainReport> | undefined;
  waitingFor: Set<string>;
  cancelDeadline: () => void;
}

export function spawnNodeSupervisor(parent: ActorParent, options: SupervisorOptions): ActorRef<SupervisorMessage> {
  const { clock, log } = options;
  const policies = { ...NODE_CHILD_POLICIES, ...options.policies };
  const histories = new Map<NodeChildKind, RestartHistory>();
  const board = createCircuitBoard(options.circuit, clock);
  const consumerNames = Array.from({ length: options.consumerCount }, (_, index) => options.consumer(index).name);
  /** Each child by name: its kind (for the policy) and how to start it. */
  const slots = new Map<string, { kind: NodeChildKind; start(): void }>();
  let children: NodeChildren | undefined;
  const periodic: ActorRef<{ type: 'periodic.stop' }>[] = [];
  let gate: ConsumerGate = 'open';
  let drain: Drain | undefined;
  let escalated = false;

  const dependenciesFor = (self: ActorRef<SupervisorMessage>): DependencyGate => ({
    permit: (dependency) =>
      ask(
        self,
        (replyTo: ActorRef<boolean>) => ({ type: 'dependency.permit' as const, dependency, replyTo }),
        PERMIT_TIMEOUT_MS,
      ).catch(() => false),
    report: (dependency, ok) => send(self, { type: 'dependency.reported', dependency, ok }),
  });

  function spawnChildren(self: ActorRef<SupervisorMessage>): NodeChildren {
    const heartbeat = spawnHeartbeatActor(asParent(self), { ...options.heartbeat, consumerNames, supervisor: self });
    const startHeartbeat = () => {
      send(heartbeat, { type: 'heartbeat.beat' });
      send(heartbeat, { type: 'metrics.publish' });
    };
    slots.set(heartbeat.name, {
      kind: 'heartbeat',
      start() {
        spawnHeartbeatActor(asParent(self), { ...options.heartbeat, consumerNames, supervisor: self });
        if (drain) return; // deregistration comes next: a fresh registration would outlive the process
        startHeartbeat();
        send(heartbeat, { type: 'circuit.changed', state: board.worst(), circuits: board.snapshot() });
      },
    });
    startHeartbeat();

    const consumers = consumerNames.map((name, index) => {
      const spawn = () => {
        const consumer = spawnConsumerActor(asParent(self), {
          ...options.consumer(index),
          services: { ...options.services, dependencies: dependenciesFor(self) },
          metrics: heartbeat,
          supervisor: self,
        });
        // Before start: FIFO, so a consumer restarted mid-drain never reads.
        if (drain) send(consumer, { type: 'consumer.drain' });
        send(consumer, { type: 'consumer.start' });
        if (gate !== 'open') send(consumer, { type: 'consumer.gate', gate: consumerGate(index) });
        return consumer;
      };
      slots.set(name, { kind: 'consumer', start: spawn });
      return spawn();
    });

    const startReclaimer = () => {
      const reclaimer = spawnReclaimerActor(asParent(self), { ...options.reclaimer, consumers, supervisor: self });
      if (gate !== 'open') send(reclaimer, { type: 'reclaim.pause' });
      send(reclaimer, { type: 'reclaim.tick' });
      return reclaimer;
    };
    const reclaimer = startReclaimer();
    slots.set(reclaimer.name, { kind: 'reclaimer', start: startReclaimer });

    const startScheduler = () => {
      const scheduler = spawnRetrySchedulerActor(asParent(self), { ...options.scheduler, supervisor: self });
      send(scheduler, { type: 'schedule.tick' });
      return scheduler;
    };
    const scheduler = startScheduler();
    slots.set(scheduler.name, { kind: 'retry-scheduler', start: startScheduler });

    const retentionOptions = options.retention;
    let retention: ActorRef<RetentionSweeperMessage> | undefined;
    if (retentionOptions) {
      const startRetention = () => {
        const sweeper = spawnRetentionSweeperActor(asParent(self), { ...retentionOptions, supervisor: self });
        send(sweeper, { type: 'retention.tick' });
        return sweeper;
      };
      retention = startRetention();
      slots.set(retention.name, { kind: 'retention-sweeper', start: startRetention });
    }

    const archiverOptions = options.archiver;
    let archiver: ActorRef<ArchiverMessage> | undefined;
    if (archiverOptions) {
      const startArchiver = () => {
        const actor = spawnArchiverActor(asParent(self), { ...archiverOptions, supervisor: self });
        send(actor, { type: 'archive.tick' });
        return actor;
      };
      archiver = startArchiver();
      slots.set(archiver.name, { kind: 'archiver', start: startArchiver });
    }
    for (const child of options.periodic ?? []) {
      const ref = child.start(asParent(self), self);
      periodic.push(ref);
      slots.set(ref.name, { kind: 'periodic', start: () => void child.start(asParent(self), self) });
    }
    return { consumers, reclaimer, scheduler, heartbeat, retention, archiver };
  }

  /** One trial job for the node: consumer 0 pulls it, the others wait. */
  const consumerGate = (index: number): ConsumerGate => (gate === 'trial' && index > 0 ? 'paused' : gate);

  function applyGate(): void {
    const next = pullGate(board);
    if (next === gate || !children) return;
    gate = next;
    children.consumers.forEach((consumer, index) =>
      send(consumer, { type: 'consumer.gate', gate: consumerGate(index) }),
    );
    send(children.reclaimer, { type: gate === 'open' ? 'reclaim.resume' : 'reclaim.pause' });
  }

  function onCircuitChange(change: CircuitChange, self: ActorRef<SupervisorMessage>): void {
    const context = {
      dependency: change.dependency,
      from: change.from,
      to: change.to,
      consecutiveFailures: change.consecutiveFailures,
    };
    if (change.to === 'open') {
      log.warn({ ...context, halfOpenInMs: change.retryInMs }, `circuit breaker for ${change.dependency} opened`);
      clock.after(change.retryInMs, () => send(self, { type: 'circuit.elapsed', dependency: change.dependency }));
    } else {
      log.info(context, `circuit breaker for ${change.dependency} is ${change.to}`);
    }
    if (children)
      send(children.heartbeat, { type: 'circuit.changed', state: board.worst(), circuits: board.snapshot() });
    applyGate();
  }

  function onChildCrashed(message: ChildCrashed, self: ActorRef<SupervisorMessage>): void {
    const slot = slots.get(message.child);
    if (!slot || escalated) return;
    const decision = decideOnCrash(policies[slot.kind], histories.get(slot.kind) ?? noRestarts, clock.now());
    histories.set(slot.kind, decision.history);
    if (decision.action === 'escalate') {
      escalated = true;
      log.fatal(
        {
          err: message.error,
          child: message.child,
          restartsInWindow: decision.restartsInWindow,
          windowMs: policies[slot.kind].windowMs,
        },
        `${slot.kind} keeps crashing; escalating to the process`,
      );
      options.onEscalate(message.error);
      return;
    }
    // Stopped by the drain: nothing to restart.
    if (drain && slot.kind !== 'consumer' && slot.kind !== 'heartbeat') {
      log.error(
        { err: message.error, child: message.child },
        `${slot.kind} crashed while the node drains; not restarting it`,
      );
      return;
    }
    log.error(
      { err: message.error, child: message.child, restartInMs: decision.delayMs },
      `${slot.kind} crashed; restarting it`,
    );
    clock.after(decision.delayMs, () => send(self, { type: 'child.restart', child: message.child }));
  }

  function startDrain(
    message: Extract<SupervisorMessage, { type: 'node.drain' }>,
    self: ActorRef<SupervisorMessage>,
  ): void {
    if (drain) {
      // A second request: answered when the first one is.
      drain.replyTo = message.replyTo;
      return;
    }
    drain = {
      replyTo: message.replyTo,
      waitingFor: new Set(consumerNames),
      cancelDeadline: clock.after(message.graceMs, () => send(self, { type: 'drain.deadline' })),
    };
    if (children) {
      send(children.reclaimer, { type: 'reclaim.stop' });
      send(children.scheduler, { type: 'schedule.stop' });
      if (children.retention) send(children.retention, { type: 'retention.stop' });
      if (children.archiver) send(children.archiver, { type: 'archive.stop' });
    }
    for (const child of periodic) send(child, { type: 'periodic.stop' });
    for (const consumer of children?.consumers ?? []) send(consumer, { type: 'consumer.drain' });
  }

  function answerDrain(report: DrainReport): void {
    if (!drain?.replyTo) return;
    drain.cancelDeadline();
    send(drain.replyTo, report);
    drain.replyTo = undefined;
  }

  function deregister(replyTo: ActorRef<boolean>): void {
    const { queue, timeoutMs } = options.deregistration;
    const heartbeat = children?.heartbeat;
    const work = async () => {
      const stopped = heartbeat
        ? await ask(
            heartbeat,
            (reply: ActorRef<boolean>) => ({ type: 'heartbeat.stop' as const, replyTo: reply }),
            timeoutMs,
          ).catch(() => false)
        : true;
      let ok = stopped;
      for (const name of consumerNames) {
        // One script checks and deletes, so an entry delivered in between is never deleted with the consumer;
        // a consumer with pending entries stays in the group, so they can be reclaimed.
        const removal = await settleWithin(timeoutMs, queue.removeConsumerIfIdle(name)).catch(() => ({
          settled: false as const,
        }));
        if (!removal.settled) ok = false;
      }
      return ok;
    };
    work().then(
      (ok) => send(replyTo, ok),
      () => send(replyTo, false),
    );
  }

  return spawnActor<null, SupervisorMessage>(parent, {
    name: 'node-supervisor',
    initialState: null,
    receive(state, message, self) {
      switch (message.type) {
        case 'node.start':
          children ??= spawnChildren(self);
          send(message.replyTo, children);
          return state;
        case 'child.crashed':
          onChildCrashed(message, self);
          return state;
        case 'child.restart':
          if (!escalated) slots.get(message.child)?.start();
          return state;
        case 'consumer.drained':
          if (!drain) return state;
          drain.waitingFor.delete(message.consumer);
          if (drain.waitingFor.size === 0) answerDrain({ drained: true, stillBusy: [] });
          return state;
        case 'node.drain':
          startDrain(message, self);
          if (drain?.waitingFor.size === 0) answerDrain({ drained: true, stillBusy: [] });
          return state;
        case 'drain.deadline':
          if (!drain?.replyTo) return state;
          for (const consumer of children?.consumers ?? []) send(consumer, { type: 'consumer.abortAll' });
          answerDrain({ drained: false, stillBusy: [...drain.waitingFor] });
          return state;
        case 'node.abort':
          for (const consumer of children?.consumers ?? []) send(consumer, { type: 'consumer.abortAll' });
          return state;
        case 'node.deregister':
          deregister(message.replyTo);
          return state;
        case 'node.cancelJob':
          for (const consumer of children?.consumers ?? [])
            send(consumer, { type: 'job.cancel', analysisId: message.analysisId });
          return state;
        case 'dependency.reported': {
          const change = board.record(message.dependency, message.ok);
          if (change) onCircuitChange(change, self);
          return state;
        }
        case 'dependency.permit':
          send(message.replyTo, board.tryPass(message.dependency));
          return state;
        case 'circuit.elapsed': {
          const change = board.elapse(message.dependency);
          if (change) onCircuitChange(change, self);
          // A timer may fire a millisecond before the wall clock says the reset time is over;
          // without a second look the breaker would stay open for good.
          else if (board.state(message.dependency) === 'open')
            clock.after(Math.max(1, board.msUntilHalfOpen(message.dependency)), () =>
              send(self, { type: 'circuit.elapsed', dependency: message.dependency }),
            );
          return state;
        }
      }
    },
    // The supervisor itself failing leaves no one to heal the node.
    onCrash: (error) => options.onEscalate(error),
  });
}
