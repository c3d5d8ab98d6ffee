/** "Fork here": writes a fork in Active Graph's format, then shows it under its parent. */
import { useState } from 'react';
import type { ApiError } from '../../api/transport';
import { ErrorView } from '../../ui/ErrorView';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { Dialog } from '../../ui/Dialog';

export function ForkDialog() {
  const { forkAt, setForkAt, storeId, runId, stores, forkHere } = useApp(
    useShallow((s) => ({ forkAt: s.forkAt, setForkAt: s.setForkAt, storeId: s.storeId, runId: s.runId, stores: s.stores, forkHere: s.forkHere })),
  );
  const [label, setLabel] = useState('');
  const [record, setRecord] = useState(false);
  const [dest, setDest] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!forkAt || !storeId || !runId) return null;
  const store = stores.find((s) => s.storeId === storeId);

  const submit = async () => {
    setBusy(true);
    setError(await forkHere({ label: label || undefined, record, destUrl: dest.trim() || undefined })); // shown in the dialog, where the action was taken
    setBusy(false);
  };

  return (
    <Dialog label="Fork run" onClose={() => setForkAt(null)}>
      <h3>Fork this run</h3>
      {error && <ErrorView error={error} onClose={() => setError(null)} />}
      <p>
        Fork point (inclusive): <code>{forkAt.id}</code> {forkAt.type && <>· {forkAt.type}</>} · seq {forkAt.seq}
        <br />
        <span className="muted small">Every event up to and including it is copied to a new run in Active Graph's format.</span>
      </p>
      <label>
        Label
        <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. stricter-verifier" aria-label="fork label" />
      </label>
      <label className="check">
        <input type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} /> record (label gets “-recording”: load without replay_strict to accept new LLM/tool
        cache entries)
      </label>
      <label>
        Destination
        <input
          value={dest}
          onChange={(e) => setDest(e.target.value)}
          placeholder={`this store (${store?.displayName ?? ''}) — or another store URL`}
          aria-label="fork destination"
        />
      </label>
      <div className="buttons">
        <button className="primary" disabled={busy} onClick={() => void submit()}>
          {busy ? 'Forking…' : 'Fork'}
        </button>
        <button onClick={() => setForkAt(null)}>Cancel</button>
      </div>
    </Dialog>
  );
}
