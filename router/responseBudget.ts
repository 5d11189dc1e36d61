/**
 * How many job records one HTTP request may return in all. A tRPC batch shares one context,
 * so two hundred batched `analysis.list` calls draw from the same budget and the call that
 * would exceed it is refused before it reads anything.
 */
import { TRPCError } from '@trpc/server';

export interface ResponseBudget {
  /** Reserves rows for one call; throws PAYLOAD_TOO_LARGE when the request has used its share. */
  take(rows: number): void;
}

export function createResponseBudget(maxRows: number): ResponseBudget {
  let used = 0;
  return {
    take(rows) {
      if (used + rows > maxRows) {
        throw new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `limit: this request asks for more than ${maxRows} job records in all (batched calls share the budget); ask in several requests`,
        });
      }
      used += rows;
    },
  };
}

/** WebSocket contexts live as long as the connection; there the batch size and each call's own limit bound the work. */
export const perCallBudget: ResponseBudget = { take: () => undefined };
