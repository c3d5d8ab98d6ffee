/**
 * "Promote into parent…": the plan of adopting a fork's changes into its parent, as a three-way
 * view (the parent at the fork point, the parent now, the fork now), field by field. Conflicts come
 * first, and what to do about each kind is said once; applying asks for confirmation, works only on a writable store, and then
 * shows the marker event in the parent's timeline.
 */
import { useEffect, useState } from 'react';
import { SummaryCard } from '../../ui/SummaryCard';
import type { OpOutput } from '../../../../shared/contract';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { entityChanges, FieldDiff, type Entity } from '../../ui/FieldDiff';
import { Dialog } from '../../ui/Dialog';

type Plan = OpOutput<'promote'>;
type Change = Plan['changes'][number];

const REMEDY: Record<Plan['conflicts'][number]['kind'], string> = {
  both_changed: "Both runs changed it since the fork point. Fork again from the parent's current tip, re-apply the change there, and promote that fork.",
  dangling_relation: 'The relation would point at an object the parent does not have. Keep its endpoints in the fork (or promote them too), or remove the relation in the fork.',
  orphaning_removal: "Removing the object would take the parent's own relations with it. Remove those relations in the fork as well, or keep the object.",
};

/** The conflicts, which stop the promotion, before the changes that would go through. */
const conflictsFirst = (changes: Change[]): Change[] => [...changes.filter((c) => c.change === 'conflict'), ...changes.filter((c) => c.change !== 'conflict')];

/** Objects have versions, relations do not. */
const presence = (e: Entity): string => (!e ? 'absent' : e.version === undefined ? 'present' : `v${String(e.version)}`);

function ChangeRow({ c, conflict }: { c: Change; conflict?: Plan['conflicts'][number] }) {
  const parent = c.parent as Entity;
  const fork = c.fork as Entity;
  const base = c.base as Entity;
  const kind = (fork ?? parent ?? base)?.type;
  return (
    <li className={`change change-${c.change}`} data-change={c.change} data-entity-id={c.id}>
      <div className="change-head">
        <span className="change-badge">{c.change}</span> <code>{c.id}</code> <span className="muted">{c.entity}</span>{' '}
        {typeof kind === 'string' && <span className="muted">· {kind}</span>}
        {c.entity === 'relation' && fork && (
          <span className="muted">
            {' '}
            · {String(fork.source)} → {String(fork.target)}
          </span>
        )}
      </div>
      {conflict ? (
        <div className="conflict">
          <div>
            <strong>[{conflict.kind}]</strong> {conflict.detail}
          </div>
          <div className="three-way">
            <span>at the fork point: {presence(base)}</span>
            <span>parent now: {presence(parent)}</span>
            <span>fork now: {presence(fork)}</span>
          </div>
        </div>
      ) : (
        <FieldDiff changes={entityChanges(c.change === 'created' ? null : parent, c.change === 'removed' ? null : fork)} labels={['parent now', 'fork now']} />
      )}
    </li>
  );
}

export function PromoteDialog() {
  const { promote, setPromote, storeId, stores, runs, applyPromote } = useApp(
    useShallow((s) => ({ promote: s.promote, setPromote: s.setPromote, storeId: s.storeId, stores: s.stores, runs: s.runs, applyPromote: s.applyPromote })),
  );
  const [applyError, setApplyError] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const writable = stores.find((s) => s.storeId === storeId)?.writable ?? false;
  const parentRunId = promote?.parentRunId;
  const forkRunId = promote?.forkRunId;
  const planned = useView('promote.plan', 'promote', storeId && parentRunId && forkRunId ? { storeId, parentRunId, forkRunId, dryRun: true } : null, { quiet: true });
  const plan = planned.data;
  const error = applyError ?? planned.error?.summary ?? null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setPromote(null);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setPromote]);

  if (!promote || !storeId) return null;
  const label = (id: string) => {
    const r = runs.find((x) => x.run_id === id);
    return r?.label ?? r?.goal ?? id.slice(0, 10) + '…';
  };
  const conflicts = plan?.conflicts ?? [];
  const eventsToWrite = plan
    ? 1 + plan.objects_created.length + plan.objects_patched.length + plan.objects_removed.length + plan.relations_created.length + plan.relations_removed.length
    : 0;
  const byConflict = new Map(conflicts.map((c) => [`${c.entity}:${c.id}`, c]));

  const apply = async () => {
    setBusy(true);
    setApplyError((await applyPromote())?.summary ?? null);
    setBusy(false);
  };

  return (
    <Dialog label="Promote into parent" onClose={() => setPromote(null)} className="wide">
      <h3>
        Promote <em>{label(promote.forkRunId)}</em> into <em>{label(promote.parentRunId)}</em>
      </h3>
      <p className="muted small">
        Adopts what the fork changed since its fork point
        {plan ? (
          <>
            {' '}
            (<code>{plan.forked_at_event}</code>)
          </>
        ) : null}{' '}
        into the parent, computed three-way against the parent at the fork point, the parent now
        {plan?.computed_against ? (
          <>
            {' '}
            (up to <code>{plan.computed_against}</code>)
          </>
        ) : null}{' '}
        and the fork now. Nothing is merged: anything both changed is a conflict, and then nothing is written.
      </p>
      {error && (
        <div className="inline-error" role="alert">
          {error}
        </div>
      )}
      {!plan && !error && <div className="muted">Computing the plan…</div>}
      {plan && (
        <>
          <div className="cards" data-testid="promote-summary">
            {(
              [
                ['objects created', plan.objects_created.length],
                ['objects patched', plan.objects_patched.length],
                ['objects removed', plan.objects_removed.length],
                ['relations created', plan.relations_created.length],
                ['relations removed', plan.relations_removed.length],
                ['conflicts', conflicts.length],
              ] as const
            ).map(([k, n]) => (
              <SummaryCard key={k} num={n} label={k} bad={k === 'conflicts' && n > 0} />
            ))}
          </div>
          {plan.warnings.length > 0 && (
            <ul className="warnings">
              {plan.warnings.map((w) => (
                <li key={w}>⚠ {w}</li>
              ))}
            </ul>
          )}
          {conflicts.length > 0 && (
            <ul className="remedies" data-testid="promote-remedies">
              {[...new Set(conflicts.map((c) => c.kind))].map((kind) => (
                <li key={kind}>
                  <strong>
                    [{kind}] × {conflicts.filter((c) => c.kind === kind).length}
                  </strong>{' '}
                  {REMEDY[kind]}
                </li>
              ))}
            </ul>
          )}
          <ul className="changes" data-testid="promote-changes">
            {conflictsFirst(plan.changes).map((c) => (
              <ChangeRow key={`${c.entity}:${c.id}:${c.change}`} c={c} conflict={c.change === 'conflict' ? byConflict.get(`${c.entity}:${c.id}`) : undefined} />
            ))}
            {plan.changes.length === 0 && <li className="muted">The fork changed nothing the parent does not already have: there is nothing to promote.</li>}
          </ul>
          {!writable && <p className="muted">This store is read-only here: the plan is a dry run only.</p>}
          {writable && conflicts.length === 0 && plan.changes.length > 0 && (
            <label className="check">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} aria-label="confirm promotion" /> Append {eventsToWrite} events (a{' '}
              <code>promote.applied</code> marker and the changes) to the parent run, in one transaction
            </label>
          )}
        </>
      )}
      <div className="buttons">
        {writable && (
          <button className="primary" disabled={!plan || conflicts.length > 0 || !confirmed || busy || plan.changes.length === 0} onClick={() => void apply()}>
            {busy ? 'Promoting…' : 'Promote'}
          </button>
        )}
        <button onClick={() => setPromote(null)}>Close</button>
      </div>
    </Dialog>
  );
}
