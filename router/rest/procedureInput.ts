/**
 * The REST seam's input types, inferred from the procedures. A route forwards what the
 * client sent (path segments, query values, JSON body fields) to a procedure, whose zod
 * input checks it; so the route names exactly the procedure's fields, with values not yet
 * checked. A misspelt or missing field is a type error here, a wrong value a 400 there.
 */
import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '../routers/_app.js';

export type ProcedureInputs = inferRouterInputs<AppRouter>;

/** Every field of a procedure's input, each holding whatever the client sent. */
export type Untrusted<TInput> = { [Field in keyof NonNullable<TInput>]-?: unknown };

/** Hands untrusted fields to a procedure: its input parser is the check, so nothing is asserted here. */
export function forwardInput<TInput>(fields: Untrusted<TInput>): TInput {
  return fields as unknown as TInput;
}
