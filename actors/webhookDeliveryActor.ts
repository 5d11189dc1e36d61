/**
 * One per worker node: runs rounds of webhook deliveries (webhookDelivery.ts) on a timer,
 * one round at a time; a full batch goes again at once. Supervised like the retry scheduler:
 * a crash is reported to the node supervisor, which restarts it.
 */
import type { Logger } from '../config/logger.js';
import type { WebhookQueue } from '../storage/alerts/webhookQueue.js';
import type { Clock } from './clock.js';
import { type ActorParent, type ActorRef, type ChildCrashed, send, spawnActor } from './typedActor.js';
import { deliverDueWebhooks, type WebhookSettings } from './webhookDelivery.js';

export type WebhookDeliveryMessage =
  { type: 'webhooks.tick' } | { type: 'webhooks.done'; round: number; taken: number } | { type: 'periodic.stop' };

export interface WebhookDeliveryOptions {
  queue: WebhookQueue;
  settings: WebhookSettings;
  intervalMs: number;
  clock: Clock;
  log: Logger;
  supervisor: ActorRef<ChildCrashed>;
}

interface DeliveryState {
  round: number;
  running: boolean;
  stopped: boolean;
}

export function spawnWebhookDeliveryActor(
  parent: ActorParent,
  options: WebhookDeliveryOptions,
): ActorRef<WebhookDeliveryMessage> {
  const { clock, log } = options;
  return spawnActor<DeliveryState, WebhookDeliveryMessage>(parent, {
    name: 'webhook-delivery',
    initialState: { round: 0, running: false, stopped: false },
    supervisor: options.supervisor,
    receive(state, message, self) {
      switch (message.type) {
        case 'webhooks.tick': {
          if (state.running || state.stopped) return state;
          const round = state.round + 1;
          deliverDueWebhooks(options.queue, options.settings, () => clock.now()).then(
            (taken) => send(self, { type: 'webhooks.done', round, taken }),
            (error: Error) => {
              log.warn({ err: error }, 'webhook deliveries failed; will try again');
              send(self, { type: 'webhooks.done', round, taken: 0 });
            },
          );
          return { ...state, round, running: true };
        }
        case 'webhooks.done':
          if (message.round !== state.round) return state;
          if (!state.stopped) {
            if (message.taken >= options.settings.batchSize) send(self, { type: 'webhooks.tick' });
            else clock.after(options.intervalMs, () => send(self, { type: 'webhooks.tick' }));
          }
          return { ...state, running: false };
        case 'periodic.stop':
          return { ...state, stopped: true };
      }
    },
  });
}
