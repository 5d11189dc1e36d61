/**
 * The worker node's supervisor actor: it owns the consumer actors, the reclaimer, the retry
 * scheduler and the heartbeat, and the node's circuit breakers (one per dependency). A
 * crashed consumer is restarted under the same name (so it finds its own pending entries)
 * within a bounded restart intensity; past it, the supervisor escalates to the process, which
 * exits non-zero and lets its process manager restart it. Dependency outcomes reported by
 * job actors and consumers feed the breakers; while the market-data or store breaker is open
 * the consumers stop pulling (half-open: one trial job), and every change is logged and
 * shown in the heartbeat.
 */
import type { Clock } from '../actors/clock.js';
import { type ConsumerMessage, type ConsumerOptions, spawnConsumerActor } from '../actors/consumerActor.js';
import type { ConsumerGate } from '../actors/consumerGate.js';
import type { Dependency, DependencyGate } from '../actors/dependencyGate.js';
import { type HeartbeatMessage, spawnHeartbeatActor, type HeartbeatOptions } from '../actors/heartbeatActor.js';
import type { ExternalServices } from '../actors/jobServices.js';
import { type ReclaimerMessage, type ReclaimerOptions, spawnReclaimerActor } from '../actors/reclaimerActor.js';
import { type RetrySchedulerMessage, type RetrySchedulerOptions, spawnRetrySchedulerActor } from '../actors/retrySchedulerActor.js';
import { type ActorParent, type ActorRef, asParent, send, spawnActor } from '../actors/typedActor.js';
import type { Logger } from '../config/logger.js';
import { type CircuitBoard, type CircuitChange, createCircuitBoard } from './circuitBoard.js';
import type { CircuitSettings } from './circuitBreaker.js';
import { createRestartIntensity } from './restartIntensity.js';

export interface NodeChildren {
  consumers: ActorRef<ConsumerMessage>[];
  reclaimer: ActorRef<ReclaimerMessage>;
  scheduler: ActorRef<RetrySchedulerMessage>;
  heartbeat: ActorRef<HeartbeatMessage>;
}

export type SupervisorMessage =
  | { type: 'node.start'; replyTo: ActorRef<NodeChildren> }
  | { type: 'consumer.crashed'; index: number; error: Error }
  | { type: 'node.cancelJob'; analysisId: string }
  | { type: 'dependency.reported'; dependency: Dependency; ok: boolean }
  | { type: 'circuit.elapsed'; dependency: Dependency };

export interface SupervisorOptions {
  consumer: (index: number) => Omit<ConsumerOptions, 'onCrash' | 'onJobFinished' | 'services'>;
  consumerCount: number;
  services: ExternalServices;
  circuit: CircuitSettings;
  reclaimer: Omit<ReclaimerOptions, 'consumers'>;
  scheduler: RetrySchedulerOptions;
  heartbeat: Omit<HeartbeatOptions, 'consumerNames'>;
  clock: Clock;
  log: Logger;
  /** Restart intensity exceeded: the node cannot heal itself. */
  onEscalate(error: Error): void;
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/** Market data or the store failing: pull nothing (half-open: one trial job). The LLM has its own fallback. */
function pullGate(board: CircuitBoard): ConsumerGate {
  const states = [board.state('market-data'), board.state('store')];
  if (states.includes('open')) return 'paused';
  return states.includes('half-open') ? 'trial' : 'open';
}

export function spawnNodeSupervisor(parent: ActorParent, options: SupervisorOptions): ActorRef<SupervisorMessage> {
  const { clock, log } = options;
  const intensity = createRestartIntensity(MAX_RESTARTS, RESTART_WINDOW_MS, clock);
  const board = createCircuitBoard(options.circuit, clock);
  let children: NodeChildren | undefined;
  let gate: ConsumerGate = 'open';

  const dependenciesFor = (self: ActorRef<SupervisorMessage>): DependencyGate => ({
    allows: (dependency) => board.tryPass(dependency),
    report: (dependency, ok) => send(self, { type: 'dependency.reported', dependency, ok }),
  });

  function startConsumer(self: ActorRef<SupervisorMessage>, heartbeat: ActorRef<HeartbeatMessage>, index: number): ActorRef<ConsumerMessage> {
    const consumer = spawnConsumerActor(asParent(self), {
      ...options.consumer(index),
      services: { ...options.services, dependencies: dependenciesFor(self) },
      onJobFinished: (status, durationMs) => send(heartbeat, { type: 'job.finished', status, durationMs }),
      onCrash: (error) => send(self, { type: 'consumer.crashed', index, error }),
    });
    send(consumer, { type: 'consumer.start' });
    if (gate !== 'open') send(consumer, { type: 'consumer.gate', gate: index === 0 ? gate : 'paused' });
    return consumer;
  }

  function applyGate(): void {
    const next = pullGate(board);
    if (next === gate || !children) return;
    gate = next;
    // One trial job for the node: consumer 0 pulls it, the others wait.
    children.consumers.forEach((consumer, index) => send(consumer, { type: 'consumer.gate', gate: gate === 'trial' && index > 0 ? 'paused' : gate }));
    send(children.reclaimer, { type: gate === 'open' ? 'reclaim.resume' : 'reclaim.pause' });
  }

  function onCircuitChange(change: CircuitChange, self: ActorRef<SupervisorMessage>): void {
    const context = { dependency: change.dependency, from: change.from, to: change.to, consecutiveFailures: change.consecutiveFailures };
    if (change.to === 'open') {
      log.warn({ ...context, halfOpenInMs: change.retryInMs }, `circuit breaker for ${change.dependency} opened`);
      clock.after(change.retryInMs, () => send(self, { type: 'circuit.elapsed', dependency: change.dependency }));
    } else {
      log.info(context, `circuit breaker for ${change.dependency} is ${change.to}`);
    }
    if (children) send(children.heartbeat, { type: 'circuit.changed', state: board.worst(), circuits: board.snapshot() });
    applyGate();
  }

  return spawnActor<null, SupervisorMessage>(parent, {
    name: 'node-supervisor',
    initialState: null,
    receive(state, message, self) {
      switch (message.type) {
        case 'node.start': {
          if (!children) {
            const consumerNames = Array.from({ length: options.consumerCount }, (_, index) => options.consumer(index).name);
            const heartbeat = spawnHeartbeatActor(asParent(self), { ...options.heartbeat, consumerNames });
            send(heartbeat, { type: 'heartbeat.beat' });
            send(heartbeat, { type: 'metrics.publish' });
            const consumers = consumerNames.map((_, index) => startConsumer(self, heartbeat, index));
            const reclaimer = spawnReclaimerActor(asParent(self), { ...options.reclaimer, consumers });
            send(reclaimer, { type: 'reclaim.tick' });
            const scheduler = spawnRetrySchedulerActor(asParent(self), options.scheduler);
            send(scheduler, { type: 'schedule.tick' });
            children = { consumers, reclaimer, scheduler, heartbeat };
          }
          send(message.replyTo, children);
          return state;
        }
        case 'consumer.crashed': {
          const name = options.consumer(message.index).name;
          if (!children || !intensity.allowRestart()) {
            log.fatal({ err: message.error, consumer: name }, 'consumers keep crashing; escalating to the process');
            options.onEscalate(message.error);
            return state;
          }
          log.error({ err: message.error, consumer: name }, 'consumer crashed; restarting it');
          // Same name, so the nact path (and every ref held elsewhere) stays valid.
          children.consumers[message.index] = startConsumer(self, children.heartbeat, message.index);
          return state;
        }
        case 'node.cancelJob':
          for (const consumer of children?.consumers ?? []) send(consumer, { type: 'job.cancel', analysisId: message.analysisId });
          return state;
        case 'dependency.reported': {
          const change = board.record(message.dependency, message.ok);
          if (change) onCircuitChange(change, self);
          return state;
        }
        case 'circuit.elapsed': {
          const change = board.elapse(message.dependency);
          if (change) onCircuitChange(change, self);
          return state;
        }
      }
    },
  });
}
