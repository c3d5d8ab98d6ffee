/**
 * The timeline's columns (TanStack Table): resizable, hideable and reorderable, remembered per user
 * (this origin's storage). Rows stay virtualized by the timeline's scaled scroll: the table is given
 * only the rows in view.
 */
import {
  columnOrderingFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  tableFeatures,
  type ColumnDef,
  type ColumnOrderState,
  type ColumnSizingState,
  type ColumnVisibilityState,
} from '@tanstack/react-table';
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { TypeChip } from '../../ui/TypeChip';
import { duration, fullTime, int, relativeTime, shortTime } from '../../ui/format';
import type { SpanTime, TimelineRow } from './timeline-rows';

export const timelineFeatures = tableFeatures({ columnSizingFeature, columnResizingFeature, columnVisibilityFeature, columnOrderingFeature });

/** A row in view: the event once loaded, the span it starts or ends once known. */
export interface Slot {
  offset: number;
  row: TimelineRow | undefined;
  span: SpanTime | undefined;
  /** The run's first timestamp (the relative-time column counts from it). */
  runStart: string | null;
  /** Selects an event of the run by id (the duration cell leads to the span's other end). */
  goTo(eventId: string): void;
}

type Column = ColumnDef<typeof timelineFeatures, Slot>;

/** A plain text column; `size` is its width while there is room, `minSize` what it gives way to. */
const text = (id: string, header: string, [size, minSize]: [number, number], get: (r: TimelineRow) => string, title?: (r: TimelineRow) => string): Column => ({
  id,
  header,
  size,
  minSize,
  cell: ({ row }) => {
    const r = row.original.row;
    return r ? <span title={title?.(r)}>{get(r)}</span> : null;
  },
});

export const TIMELINE_COLUMNS: Column[] = [
  text(
    'index',
    '#',
    [56, 32],
    (r) => int(r.index),
    () => 'place in the run (jump: #n)',
  ),
  text(
    'seq',
    'seq',
    [64, 40],
    (r) => int(r.seq),
    () => 'store-wide sequence number',
  ),
  text('id', 'id', [88, 60], (r) => r.id),
  {
    id: 'type',
    header: 'type',
    size: 150,
    minSize: 90,
    cell: ({ row }) => {
      const r = row.original.row;
      return r ? <TypeChip type={r.type} failed={r.failed} /> : null;
    },
  },
  text('actor', 'actor', [90, 56], (r) => r.actor ?? '—'),
  text('frame', 'frame', [70, 40], (r) => r.frame_id ?? '—'),
  text('cause', 'caused_by', [70, 40], (r) => r.caused_by ?? ''),
  text(
    'time',
    'time',
    [70, 64],
    (r) => shortTime(r.timestamp),
    (r) => fullTime(r.timestamp),
  ),
  {
    id: 'relative',
    header: 'since start',
    size: 80,
    minSize: 50,
    cell: ({ row }) => {
      const { row: r, runStart } = row.original;
      return r ? <span title={fullTime(r.timestamp)}>{relativeTime(r.timestamp, runStart)}</span> : null;
    },
  },
  {
    id: 'duration',
    header: 'duration',
    size: 92,
    minSize: 50,
    cell: ({ row }) => {
      const { row: r, span, goTo } = row.original;
      if (!r || !span) return null;
      const starts = span.spanId === r.id;
      const other = starts ? span.endId : span.spanId;
      const label = span.status === 'open' ? 'open' : duration(span.durationMs);
      return (
        <button
          className={`link span-${span.status}`}
          title={other ? `${starts ? 'ends at' : 'started at'} ${other}` : 'not finished in the log'}
          onClick={(e) => {
            e.stopPropagation();
            if (other) goTo(other);
          }}
        >
          {starts ? '' : '↤ '}
          {label}
        </button>
      );
    },
  },
  {
    id: 'summary',
    header: 'summary',
    // The summary takes the room the others leave.
    enableResizing: false,
    cell: ({ row }) => {
      const r = row.original.row;
      if (!r) return null;
      return (
        <span title={r.summary}>
          {r.archivedAt && (
            <span className="flag archived" title={`archived ${r.archivedAt}`}>
              archived
            </span>
          )}
          {r.corrupted && <span className="flag">corrupted</span>}
          {isPromoteDelta(r) && (
            <span className="flag promote" title={`applied by the promote.applied marker ${r.caused_by}, from fork ${r.actor!.slice('promote:'.length)}`}>
              ↳ {r.caused_by}
            </span>
          )}
          {r.summary}
        </span>
      );
    },
  },
];

/** Frame, caused_by and the relative time are one click away (the detail panel shows them too). */
const DEFAULT_VISIBILITY: ColumnVisibilityState = { frame: false, cause: false, relative: false };

export interface ColumnLayout {
  sizing: ColumnSizingState;
  visibility: ColumnVisibilityState;
  order: ColumnOrderState;
}

const STORAGE_KEY = 'ri-timeline-columns';

function remembered(): ColumnLayout {
  const fallback = { sizing: {}, visibility: DEFAULT_VISIBILITY, order: TIMELINE_COLUMNS.map((c) => c.id!) };
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? 'null') as Partial<ColumnLayout> | null;
    if (!saved) return fallback;
    // Columns added since the layout was saved go where they are defined.
    const known = TIMELINE_COLUMNS.map((c) => c.id!);
    const order = (saved.order ?? []).filter((id) => known.includes(id));
    for (const id of known) if (!order.includes(id)) order.splice(known.indexOf(id), 0, id);
    return { sizing: saved.sizing ?? {}, visibility: { ...DEFAULT_VISIBILITY, ...saved.visibility }, order };
  } catch {
    return fallback; // unreadable: the default layout
  }
}

/** The column layout, remembered across sessions; `reset` brings the default back. */
export function useColumnLayout(): [ColumnLayout, Dispatch<SetStateAction<ColumnLayout>>, () => void] {
  const [layout, setLayout] = useState<ColumnLayout>(remembered);
  useEffect(() => globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(layout)), [layout]);
  const reset = () => setLayout({ sizing: {}, visibility: DEFAULT_VISIBILITY, order: TIMELINE_COLUMNS.map((c) => c.id!) });
  return [layout, setLayout, reset];
}

/** Moves column `id` to just before `before` (or to the end). */
export function moveColumn(order: ColumnOrderState, id: string, before: string | null): ColumnOrderState {
  const rest = order.filter((c) => c !== id);
  const at = before === null ? rest.length : rest.indexOf(before);
  rest.splice(at < 0 ? rest.length : at, 0, id);
  return rest;
}

/** A delta event of a promote block: written by `promote:<fork>` and caused by its promote.applied marker. */
export const isPromoteDelta = (r: { actor: string | null; caused_by: string | null }): boolean => (r.actor?.startsWith('promote:') ?? false) && r.caused_by !== null;
