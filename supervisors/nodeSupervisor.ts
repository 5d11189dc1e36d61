/**
 * The worker node's supervisor actor: it owns the consumer actors, the reclaimer and the
 * heartbeat. A crashed consumer is restarted under the same name (so it finds its own
 * pending entries) within a bounded restart intensity; past it, the supervisor escalates
 * to the process, which exits non-zero and lets its process manager restart it.
 */
import type { Clock } from '../actors/clock.js';
import { type ConsumerMessage, type ConsumerOptions, spawnConsumerActor } from '../actors/consumerActor.js';
import { type HeartbeatMessage, spawnHeartbeatActor, type HeartbeatOptions } from '../actors/heartbeatActor.js';
import { type ReclaimerMessage, type ReclaimerOptions, spawnReclaimerActor } from '../actors/reclaimerActor.js';
import { type ActorParent, type ActorRef, asParent, send, spawnActor } from '../actors/typedActor.js';
import type { Logger } from '../config/logger.js';
import { createRestartIntensity } from './restartIntensity.js';

export interface NodeChildren {
  consumers: ActorRef<ConsumerMessage>[];
  reclaimer: ActorRef<ReclaimerMessage>;
  heartbeat: ActorRef<HeartbeatMessage>;
}

export type SupervisorMessage =
  | { type: 'node.start'; replyTo: ActorRef<NodeChildren> }
  | { type: 'consumer.crashed'; index: number; error: Error }
  | { type: 'node.cancelJob'; analysisId: string };

export interface SupervisorOptions {
  consumer: (index: number) => Omit<ConsumerOptions, 'onCrash' | 'onJobFinished'>;
  consumerCount: number;
  reclaimer: Omit<ReclaimerOptions, 'consumers'>;
  heartbeat: Omit<HeartbeatOptions, 'consumerNames'>;
  clock: Clock;
  log: Logger;
  /** Restart intensity exceeded: the node cannot heal itself. */
  onEscalate(error: Error): void;
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export function spawnNodeSupervisor(parent: ActorParent, options: SupervisorOptions): ActorRef<SupervisorMessage> {
  const intensity = createRestartIntensity(MAX_RESTARTS, RESTART_WINDOW_MS, options.clock);
  let children: NodeChildren | undefined;

  function startConsumer(self: ActorRef<SupervisorMessage>, heartbeat: ActorRef<HeartbeatMessage>, index: number): ActorRef<ConsumerMessage> {
    const consumer = spawnConsumerActor(asParent(self), {
      ...options.consumer(index),
      onJobFinished: (status, durationMs) => send(heartbeat, { type: 'job.finished', status, durationMs }),
      onCrash: (error) => send(self, { type: 'consumer.crashed', index, error }),
    });
    send(consumer, { type: 'consumer.start' });
    return consumer;
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
            children = { consumers, reclaimer, heartbeat };
          }
          send(message.replyTo, children);
          return state;
        }
        case 'consumer.crashed': {
          const name = options.consumer(message.index).name;
          if (!children || !intensity.allowRestart()) {
            options.log.fatal({ err: message.error, consumer: name }, 'consumers keep crashing; escalating to the process');
            options.onEscalate(message.error);
            return state;
          }
          options.log.error({ err: message.error, consumer: name }, 'consumer crashed; restarting it');
          // Same name, so the nact path (and every ref held elsewhere) stays valid.
          startConsumer(self, children.heartbeat, message.index);
          return state;
        }
        case 'node.cancelJob':
          for (const consumer of children?.consumers ?? []) send(consumer, { type: 'job.cancel', analysisId: message.analysisId });
          return state;
      }
    },
  });
}
