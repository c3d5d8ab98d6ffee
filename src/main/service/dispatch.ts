/**
 * The single door into the service for every transport: validate the operation name and its
 * input against the contract, run the handler, and return a result envelope whose errors are the
 * engine's structured errors. Nothing reaches the engine unvalidated.
 */
import { z } from 'zod';
import { operations, type OpResult, type OperationName } from '../../shared/contract.js';
import { InspectorError, type SerializedError } from '../engine/errors.js';
import type { InspectorService } from './inspector-service.js';

export function isOperation(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}

export function invalidInput(op: string, issues: string): SerializedError {
  return {
    className: 'InvalidRequest',
    summary: `invalid input for ${op}`,
    whatFailed: `The request to '${op}' did not match the contract: ${issues}`,
    why: 'Every request crossing from the window into the main process is validated, so a malformed or hostile request never reaches a store.',
    howToFix: 'This is a bug in the caller; reload the window. If it persists, report it with this message.',
    context: { operation: op },
    exitCode: 2,
  };
}

export function toSerializedError(err: unknown): SerializedError {
  if (err instanceof InspectorError) return err.toJSON();
  const e = err as Error;
  return {
    className: 'InternalError',
    summary: e?.message ?? String(err),
    whatFailed: e?.message ?? String(err),
    why: 'An unexpected error occurred in the engine.',
    howToFix: 'Retry; if it persists, report it with this message.',
    context: {},
    exitCode: 1,
  };
}

export async function dispatch(service: InspectorService, op: unknown, input: unknown): Promise<OpResult<OperationName>> {
  if (!isOperation(op)) return { ok: false, error: invalidInput(String(op).slice(0, 64), 'unknown operation') };
  const parsed = operations[op].input.safeParse(input);
  if (!parsed.success) return { ok: false, error: invalidInput(op, z.prettifyError(parsed.error)) };
  try {
    const handler = service.handlers[op] as (i: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value } as OpResult<OperationName>;
  } catch (err) {
    return { ok: false, error: toSerializedError(err) };
  }
}
