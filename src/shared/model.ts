/**
 * Data shapes shared by the engine, the contract and the renderer. Plain JSON only. Where the
 * contract has a schema, the type is derived from it: one definition per shape.
 */
import type { z } from 'zod';
import type { diffSchema, eventFilterSchema, eventRowSchema, forkResultSchema, graphObjectSchema, graphRelationSchema, runInfoSchema, statusSchema } from './contract.js';

/** One row of a run's event log. `payload` is decoded lazily by the engine. */
export type EventRow = z.infer<typeof eventRowSchema>;

/** A run as a store lists it (its state is derived from its log by the service). */
/** A run as a store lists it; its state comes with it where the store can tell it in the same statement. */
export type RunInfo = Omit<z.infer<typeof runInfoSchema>, 'state'> & { state?: z.infer<typeof runInfoSchema>['state'] };

/** Which events a view shows. */
export type EventFilter = z.infer<typeof eventFilterSchema>;

export type GraphObject = z.infer<typeof graphObjectSchema>;
export type GraphRelation = z.infer<typeof graphRelationSchema>;

export interface PatchRecord {
  id: string;
  target?: string;
  op?: string;
  status?: string;
  [key: string]: unknown;
}

export const BUDGET_DIMENSIONS = ['max_events', 'max_behavior_calls', 'max_llm_calls', 'max_tool_calls', 'max_patches', 'max_depth', 'max_seconds', 'max_cost_usd'] as const;

/** Active Graph's status() of a run. */
export type RunStatus = z.infer<typeof statusSchema>['status'];
/** What the inspector shows beyond AG's status(): the last recorded budget snapshot and frames seen. */
export type RunStatusExtras = NonNullable<z.infer<typeof statusSchema>['extras']>;

export type DiffDetail = z.infer<typeof diffSchema>;
/** The counts of a diff (Active Graph's `diff --json`). */
export type DiffSummary = Omit<DiffDetail, 'objects' | 'relations' | 'divergence'>;

export interface ReplaySummary {
  run_id: string;
  events: number;
  objects: number;
  relations: number;
}

/** A fork as the engine reports it (the service adds the store it was written to). */
export type ForkResult = Omit<z.infer<typeof forkResultSchema>, 'destStoreId'>;
