/** The events that created, patched or removed an object in the run, each a jump to it in the timeline. */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../state/app-store';
import { useView } from '../state/use-view';
import { TypeChip } from './TypeChip';

export function ObjectHistory({ slot, objectId }: { slot: string; objectId: string }) {
  const { storeId, runId, jumpTo } = useApp(useShallow((s) => ({ storeId: s.storeId, runId: s.runId, jumpTo: s.jumpTo })));
  const { data: history, loading } = useView(slot, 'objectHistory', storeId && runId ? { storeId, runId, objectId } : null);
  return (
    <ul className="links" data-testid="object-history" aria-label={`events that touched ${objectId}`}>
      {(history ?? []).map((h) => (
        <li key={h.id}>
          <button className="link" onClick={() => void jumpTo({ eventId: h.id })}>
            {h.id}
          </button>{' '}
          <TypeChip type={h.type} />
        </li>
      ))}
      {history && history.length === 0 && <li className="muted small">No event of the hot log names it.</li>}
      {loading && !history && <li className="muted small">reading…</li>}
    </ul>
  );
}
