/**
 * What if these events had not happened? The run's graph re-projected without them (and, if asked,
 * without everything they caused), as of the end of the run or of the selected event, against the
 * real graph: only in the real run / only without them / changed, field by field. A projection of
 * the recorded log: nothing re-runs and nothing is written, and the view says so.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { SummaryCard } from '../../ui/SummaryCard';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { entityChanges, FieldDiff, type Entity } from '../../ui/FieldDiff';
import { Dialog } from '../../ui/Dialog';

export function WhatIfDialog() {
  const { whatIf, setWhatIf, storeId, runId, selected, jumpTo } = useApp(
    useShallow((s) => ({ whatIf: s.whatIf, setWhatIf: s.setWhatIf, storeId: s.storeId, runId: s.runId, selected: s.selected, jumpTo: s.jumpTo })),
  );
  const [withConsequences, setWithConsequences] = useState(true);
  const [asOfSelected, setAsOfSelected] = useState(false);
  const exclude = whatIf?.exclude;
  const asOfSeq = asOfSelected ? selected?.seq : undefined;
  const projected = useView('whatIf', 'whatIf', storeId && runId && exclude?.length ? { storeId, runId, exclude, withConsequences, asOfSeq } : null, { quiet: true });
  const result = projected.data;
  const error = projected.error?.summary ?? null;
  const [eventsRead, setEventsRead] = useState<number | null>(null);
  useEffect(() => {
    if (result || !exclude?.length) return setEventsRead(null);
    return api.subscribe('progress', (p) => p.operation === 'whatIf' && setEventsRead(p.done));
  }, [result, exclude]);

  if (!whatIf) return null;
  const rows = [
    ...(result?.objects ?? []).map((o) => ({ entity: 'object' as const, id: o.id, real: o.in_parent as Entity, without: o.in_fork as Entity })),
    ...(result?.relations ?? []).map((r) => ({ entity: 'relation' as const, id: r.id, real: r.in_parent as Entity, without: r.in_fork as Entity })),
  ];
  const kind = (r: (typeof rows)[number]) => (!r.without ? 'only-real' : !r.real ? 'only-without' : 'changed');

  return (
    <Dialog label="What if" onClose={() => setWhatIf(null)} className="wide">
      <h3>
        What if <code>{whatIf.exclude.join(', ')}</code> had not happened?
      </h3>
      <p className="projection-note" data-testid="projection-note">
        A projection of the recorded log without these events, not a replay of behaviors: nothing re-runs, so what they would have led to instead is not imagined, only what they
        did is taken away. Nothing is written.
      </p>
      <label className="check">
        <input type="checkbox" checked={withConsequences} onChange={(e) => setWithConsequences(e.target.checked)} aria-label="with consequences" /> and everything they caused
        (following <code>caused_by</code>)
      </label>
      <label className="check">
        <input type="checkbox" checked={asOfSelected} disabled={!selected} onChange={(e) => setAsOfSelected(e.target.checked)} aria-label="as of the selected event" /> as of the
        selected event
        {selected ? (
          <>
            {' '}
            (<code>{selected.id}</code>)
          </>
        ) : null}
        , not the end of the run
      </label>
      {error && (
        <div className="inline-error" role="alert">
          {error}
        </div>
      )}
      {!result && !error && <div className="muted">Projecting…{eventsRead !== null && ` ${eventsRead.toLocaleString('en-US')} events read`}</div>}
      {result && (
        <>
          <div className="cards" data-testid="what-if-summary">
            <SummaryCard num={result.excludedCount.toLocaleString('en-US')} label="events left out" />
            <SummaryCard num={`${result.real.objects} → ${result.projected.objects}`} label="objects" />
            <SummaryCard num={`${result.real.relations} → ${result.projected.relations}`} label="relations" />
            <SummaryCard
              num={(result.divergentObjects + result.divergentRelations).toLocaleString('en-US')}
              label="differ"
              bad={result.divergentObjects + result.divergentRelations > 0}
            />
          </div>
          {result.dangling.count > 0 && (
            <p className="notice small" data-testid="what-if-dangling">
              {result.dangling.count.toLocaleString('en-US')} relation{result.dangling.count === 1 ? '' : 's'} ({result.dangling.ids.join(', ')}
              {result.dangling.count > result.dangling.ids.length ? ', …' : ''}) {result.dangling.count === 1 ? 'points' : 'point'} at an object this what-if removed: its creation
              was left out, the relation&apos;s was not. The graph keeps {result.dangling.count === 1 ? 'it' : 'them'}, as Active Graph&apos;s projection does; leave out what it
              caused too to drop {result.dangling.count === 1 ? 'it' : 'them'}.
            </p>
          )}
          <details className="excluded">
            <summary>{result.excludedCount > result.excluded.length ? `the first ${result.excluded.length} of the events left out` : 'the events left out'}</summary>
            <ul>
              {result.excluded.map((e) => (
                <li key={e.id}>
                  <button className="link" onClick={() => void jumpTo({ eventId: e.id }).then(() => setWhatIf(null))}>
                    {e.id}
                  </button>{' '}
                  {e.type} {e.asked ? '' : <span className="muted">(caused by a left-out event)</span>}
                </li>
              ))}
            </ul>
          </details>
          <ul className="changes" data-testid="what-if-changes">
            {rows.map((r) => (
              <li
                key={`${r.entity}:${r.id}`}
                className={`change change-${kind(r) === 'only-real' ? 'removed' : kind(r) === 'only-without' ? 'created' : 'patched'}`}
                data-kind={kind(r)}
              >
                <div className="change-head">
                  <span className="change-badge">{kind(r) === 'only-real' ? 'only in the real run' : kind(r) === 'only-without' ? 'only without them' : 'changed'}</span>{' '}
                  <code>{r.id}</code> <span className="muted">{r.entity}</span>
                  {r.entity === 'relation' && (r.real ?? r.without) && (
                    <span className="muted">
                      {' '}
                      · {String((r.real ?? r.without)!.source)} → {String((r.real ?? r.without)!.target)}
                    </span>
                  )}
                </div>
                <FieldDiff changes={entityChanges(r.real, r.without)} labels={['real run', 'without them']} />
              </li>
            ))}
            {rows.length === 0 && <li className="muted">The graph is the same without them.</li>}
            {rows.length > 0 && result.objects.length < result.divergentObjects && (
              <li className="muted">
                The {result.objects.length} most connected of {result.divergentObjects.toLocaleString('en-US')} objects that differ, with their relations.
              </li>
            )}
          </ul>
        </>
      )}
      <div className="buttons">
        <button onClick={() => setWhatIf(null)}>Close</button>
      </div>
    </Dialog>
  );
}
