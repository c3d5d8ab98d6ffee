/**
 * What the data host keeps in memory between calls (row indexes, graph histories, span indexes)
 * and the budget it keeps them under; the user sets the budget here (remembered by the stores slice).
 */
import { useEffect, useState } from 'react';
import { call } from '../../api/transport';
import { useApp } from '../../state/app-store';
import { useTask } from '../../state/use-view';

const MB = 1024 * 1024;

const KIND_LABEL = { graph: 'graph histories', fork: "forks' own graphs", spans: 'span indexes', timeline: 'row indexes' } as const;

export function HostMemory() {
  const showError = useApp((s) => s.showError);
  const setCacheBudget = useApp((s) => s.setCacheBudget);
  const runId = useApp((s) => s.runId);
  const [asked, setAsked] = useState(0);
  // Asked again when the run changes (its views fill caches) and on refresh.
  const { data: stats } = useTask('cacheStats', { key: JSON.stringify(['cacheStats', runId, asked]), of: {}, load: (signal) => call('cacheStats', {}, signal) }, { quiet: true });
  const [draft, setDraft] = useState('');
  useEffect(() => setDraft(stats ? String(Math.round(stats.limitBytes / MB)) : ''), [stats]);
  if (!stats) return null;
  const byKind = (['graph', 'fork', 'spans', 'timeline'] as const).map((kind) => {
    const of = stats.entries.filter((e) => e.kind === kind);
    return { kind, n: of.length, bytes: of.reduce((t, e) => t + e.bytes, 0) };
  });
  const save = async () => {
    const limitMb = Number(draft);
    try {
      await setCacheBudget(limitMb);
      setAsked((n) => n + 1);
    } catch (err) {
      showError(err);
    }
  };
  return (
    <section className="host-memory" data-testid="host-memory">
      <h4>Data host memory</h4>
      <p className="muted">
        Caches kept between calls: {(stats.usedBytes / MB).toFixed(1)} MB of {(stats.limitBytes / MB).toFixed(0)} MB (
        {byKind.map((k) => `${k.n} ${KIND_LABEL[k.kind]} ${(k.bytes / MB).toFixed(1)} MB`).join(', ')}). Over the budget, the least recently used are dropped and read again when
        next needed.{' '}
        <button className="link" onClick={() => setAsked((n) => n + 1)}>
          refresh
        </button>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          budget (MB) <input aria-label="cache budget in MB" type="number" min={64} step={64} value={draft} onChange={(e) => setDraft(e.target.value)} style={{ width: '7em' }} />
        </label>{' '}
        <button type="submit" disabled={!(Number(draft) >= 64)}>
          Set
        </button>
      </form>
    </section>
  );
}
