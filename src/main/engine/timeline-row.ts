/** One row of the timeline: the event's fields, a one-line summary, and whether it failed or is unreadable. */
import type { TimelineRow } from '../../shared/contract.js';
import { isFailureType } from '../../shared/event-types.js';
import { eventRow, type StoredEvent } from '../store/event-store.js';
import { summarizePayload } from './event-summary.js';
import { pyLoadsFast } from '../base/pyjson.js';

export function timelineRow(e: StoredEvent, offset: number, index: number): TimelineRow {
  let summary: string;
  let corrupted = false;
  try {
    summary = summarizePayload(e.type, pyLoadsFast(e.payload));
  } catch {
    corrupted = true;
    summary = `corrupted payload: ${e.payload.slice(0, 80)}`;
  }
  return { offset, index, ...eventRow(e), summary, failed: isFailureType(e.type), corrupted };
}
