/**
 * The door into the service for every transport: validate the operation name and its input
 * against the contract, run the handler with the caller's signal, and return a result envelope
 * whose errors are the engine's structured errors. Nothing reaches the engine unvalidated. The
 * fronts validate with the same function before forwarding, so a bad request fails where it came in.
 */
import { z } from 'zod';
import { isFrontOperation, operations, type HostOperationName, type OpResult, type OperationName } from '../../shared/contract.js';
import type { SerializedError } from '../../shared/errors.js';
import { toSerializedError } from '../base/errors.js';
import type { InspectorService } from './inspector-service.js';

export function isOperation(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}

export function invalidInput(op: string, issues: string): SerializedError {
  return {
    className: 'InvalidRequest',
    summary: `invalid input for ${op}`,
    whatFailed: `The request to '${op}' did not match the contract: ${issues}`,
    why: 'Every request crossing from the window to the data host is validated, so a malformed or hostile request never reaches a store.',
    howToFix: 'This is a bug in the caller; reload the window. If it persists, report it with this message.',
    context: { operation: op },
    exitCode: 2,
  };
}

export type ValidCall = { ok: true; op: OperationName; input: unknown } | { ok: false; error: SerializedError };

/** Checks an operation name and its input against the contract. */
export function validateCall(op: unknown, input: unknown): ValidCall {
  if (!isOperation(op)) return { ok: false, error: invalidInput(String(op).slice(0, 64), 'unknown operation') };
  const parsed = operations[op].input.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(op, z.prettifyError(parsed.error)) };
  return { ok: true, op, input: parsed.data };
}

export async function dispatch(service: InspectorService, op: unknown, input: unknown, signal: AbortSignal = new AbortController().signal): Promise<OpResult<OperationName>> {
  const valid = validateCall(op, input);
  if (!valid.ok) return { ok: false, error: valid.error };
  if (isFrontOperation(valid.op)) return { ok: false, error: invalidInput(valid.op, 'answered by the front (main process or server), not the data host') };
  try {
    const handler = service.handlers[valid.op as HostOperationName] as (i: unknown, s: AbortSignal) => Promise<unknown>;
    const value = await handler(valid.input, signal);
    return { ok: true, value } as OpResult<OperationName>;
  } catch (err) {
    return { ok: false, error: toSerializedError(err) };
  }
}
