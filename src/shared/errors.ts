/**
 * The structured error that crosses every process boundary (host → front → window), declared once:
 * it is the contract's error schema. And the one "cancelled" error, which callers ignore.
 */
import type { z } from 'zod';
import type { errorSchema } from './contract.js';

export type SerializedError = z.output<typeof errorSchema>;

const CANCELLED = 'CancelledError';

export const cancelledError = (): SerializedError => ({ className: CANCELLED, summary: 'the request was cancelled', context: {}, exitCode: 1 });

export const isCancelled = (error: { className: string } | null | undefined): boolean => error?.className === CANCELLED;
