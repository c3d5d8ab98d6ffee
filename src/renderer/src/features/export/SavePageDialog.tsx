/**
 * "Save as page…": what the offline page of the run keeps (all its events, or a window around the
 * selected event) and about how big it is, before anything is written; then the page, asked part by
 * part, saved as one HTML file.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { call } from '../../api/transport';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { Dialog } from '../../ui/Dialog';
import { ErrorView } from '../../ui/ErrorView';
import { bytes, int } from '../../ui/format';
import { saveFile } from '../../ui/save-file';

export function SavePageDialog() {
  const { storeId, runId, selected, setShowSavePage, showError } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, selected: s.selected, setShowSavePage: s.setShowSavePage, showError: s.showError })),
  );
  const close = () => setShowSavePage(false);
  const [around, setAround] = useState(true);
  const [saving, setSaving] = useState<number | null>(null);
  const input = storeId && runId ? { storeId, runId, ...(around && selected ? { around: selected.id } : {}) } : null;
  const { data: plan, error } = useView('savePage.plan', 'pagePlan', input, { quiet: true });
  const save = async () => {
    if (!input) return;
    try {
      const parts: string[] = [];
      let exportId: string | undefined;
      for (;;) {
        const r = await call('savePage', { ...input, exportId });
        exportId = r.exportId;
        if (r.part !== null) parts.push(r.part);
        setSaving(parts.reduce((n, p) => n + p.length, 0));
        if (r.done) break;
      }
      saveFile(`run-${runId}.html`, parts, 'text/html');
      close();
    } catch (err) {
      showError(err);
      setSaving(null);
    }
  };
  return (
    <Dialog label="Save as page" onClose={close}>
      <h3>Save the run as one page</h3>
      <p className="muted small">
        One HTML file with the timeline, each event&apos;s detail, the graph as of any event and the waterfall. It opens in any browser, without this app, a server or a network.
      </p>
      {error && <ErrorView error={error} />}
      {plan && (
        <p data-testid="page-plan">
          {plan.whole
            ? `It keeps all ${int(plan.eventsTotal)} events of the run.`
            : `The run has ${int(plan.eventsTotal)} events; the page keeps ${int(plan.kept)} of them (seq ${plan.fromSeq}–${plan.toSeq})${around && selected ? `, around ${selected.id}` : ', from the start'}.`}{' '}
          About {bytes(plan.approxBytes)}.
        </p>
      )}
      {plan && !plan.whole && selected && (
        <label className="small">
          <input type="checkbox" checked={around} onChange={(e) => setAround(e.target.checked)} /> around the selected event ({selected.id})
        </label>
      )}
      {saving !== null && <p className="muted small">Writing… {bytes(saving)}</p>}
      <div className="buttons">
        <button disabled={!plan || saving !== null} onClick={() => void save()}>
          Save page
        </button>
        <button onClick={close}>Cancel</button>
      </div>
    </Dialog>
  );
}
