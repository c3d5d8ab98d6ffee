/** Compare two runs: the §8 summary, the divergence point, aligned timelines and a coloured graph diff. */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import { call } from '../../api/transport';
import { alignedAsk, MAX_ALIGNED, PAGE } from './aligned-rows';
import { fitGraph, graphLayout } from '../graph/graph-layout';
import { shortRunId } from '../../ui/format';
import { useShallow } from 'zustand/react/shallow';
import { useApp, type RunInfo, type RunRef, type StoreInfo } from '../../state/app-store';
import type { Ask } from '../../state/slices/views-slice';
import { useTask, useView } from '../../state/use-view';
import type { TimelineRow } from '../timeline/timeline-rows';
import { GraphList } from '../../ui/GraphList';
import { JsonTree } from '../../ui/JsonTree';
import { SummaryCard } from '../../ui/SummaryCard';
import { TypeChip } from '../../ui/TypeChip';
import { entityChanges, FieldDiff, type Entity } from '../../ui/FieldDiff';

type Diff = OpOutput<'diff'>;
/** Where a divergent entity is: only in run A, only in run B, or in both with changes. */
const diffKind = (x: { in_parent: unknown; in_fork: unknown }) => (!x.in_parent ? 'only-b' : !x.in_fork ? 'only-a' : 'changed');

type RelationEnds = { source: string; target: string; type: string };
const arrow = (r: RelationEnds) => `${r.source} —${r.type}→ ${r.target}`;

/**
 * Both runs have a relation with this id but between other objects or of another type: two
 * different relations that share an id. The diff pairs them by id, as Active Graph's does (its
 * counts stay so), but they are drawn and named as the two relations they are, not as one that changed.
 */
function idNamesTwo(r: { in_parent: unknown; in_fork: unknown }): [RelationEnds, RelationEnds] | null {
  const a = r.in_parent as RelationEnds | null;
  const b = r.in_fork as RelationEnds | null;
  return a && b && (a.source !== b.source || a.target !== b.target || a.type !== b.type) ? [a, b] : null;
}

export function CompareView() {
  const { compare, setCompare, stores, showEventOf } = useApp(useShallow((s) => ({ compare: s.compare, setCompare: s.setCompare, stores: s.stores, showEventOf: s.showEventOf })));
  const runsByStore = useRunsOfOpenStores(stores);
  const [shown, setShown] = useState(PAGE);
  const [picked, setPicked] = useState<Diff['objects'][number] | Diff['relations'][number] | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);

  const a = compare?.a;
  const b = compare?.b;
  const [storeA, runA, storeB, runB] = [a?.storeId, a?.runId, b?.storeId, b?.runId];
  const compared = useView('compare.diff', 'diff', storeA && runA && storeB && runB ? { storeId: storeA, runA, storeIdB: storeB === storeA ? undefined : storeB, runB } : null);
  const diff = compared.data;
  useEffect(() => {
    setShown(PAGE);
    setPicked(null);
  }, [storeA, runA, storeB, runB]);

  // The aligned logs after the divergence point, paged from the engine.
  const aligned = useTask('compare.aligned', a && b && diff ? alignedAsk(a, b, diff.divergence, shown) : null).data;

  useEffect(() => {
    if (!container.current || !diff) return;
    cy.current?.destroy();
    const els: ElementDefinition[] = [];
    const seen = new Set<string>();
    const kind = diffKind;
    for (const o of diff.objects) {
      seen.add(o.id);
      els.push({ data: { id: o.id, label: o.id }, classes: kind(o) });
    }
    for (const r of diff.relations) {
      const two = idNamesTwo(r);
      const drawn: [RelationEnds, string, string][] = two
        ? [
            [two[0], `rel:${r.id}`, 'only-a'],
            [two[1], `rel-b:${r.id}`, 'only-b'],
          ]
        : [[(r.in_parent ?? r.in_fork) as RelationEnds, `rel:${r.id}`, kind(r)]];
      for (const [one, id, classes] of drawn) {
        for (const end of [one.source, one.target]) {
          if (seen.has(end)) continue;
          seen.add(end);
          els.push({ data: { id: end, label: end }, classes: 'same' });
        }
        els.push({ data: { id, source: one.source, target: one.target, label: two ? `${one.type} (${r.id} in ${classes === 'only-a' ? 'A' : 'B'})` : one.type }, classes });
      }
    }
    cy.current = cytoscape({
      container: container.current,
      elements: els,
      style: [
        // Labels readable at the panel's size: 12 px names, 10 px relation types, on a light backing.
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 12,
            width: 20,
            height: 20,
            'background-color': '#aaa',
            color: getComputedStyle(document.documentElement).getPropertyValue('--fg').trim() || '#333',
            'text-valign': 'bottom',
            'text-margin-y': 3,
          },
        },
        {
          selector: 'edge',
          style: {
            width: 2,
            'curve-style': 'bezier',
            'target-arrow-shape': 'triangle',
            label: 'data(label)',
            'font-size': 10,
            color: '#777',
            'text-rotation': 'autorotate',
            'line-color': '#bbb',
            'target-arrow-color': '#bbb',
          },
        },
        { selector: '.only-a', style: { 'background-color': '#e5484d', 'line-color': '#e5484d', 'target-arrow-color': '#e5484d' } },
        { selector: '.only-b', style: { 'background-color': '#30a46c', 'line-color': '#30a46c', 'target-arrow-color': '#30a46c' } },
        { selector: '.changed', style: { 'background-color': '#f5a623', 'line-color': '#f5a623', 'target-arrow-color': '#f5a623' } },
      ],
      layout: graphLayout(els.length),
    });
    fitGraph(cy.current);
    cy.current.on('tap', 'node, edge', (e) => {
      const id = e.target.id().replace(/^rel(-b)?:/, '');
      setPicked(diff.objects.find((o) => o.id === id) ?? diff.relations.find((r) => r.id === id) ?? null);
    });
    return () => cy.current?.destroy();
  }, [diff]);

  if (!compare) return null;
  const crossStore = compare.a.storeId !== compare.b.storeId;
  const runLabel = (ref: RunRef) => {
    const r = runsByStore.get(ref.storeId)?.find((x) => x.run_id === ref.runId);
    const name = r ? `${r.label ?? r.goal ?? ''} (${shortRunId(ref.runId)})` : ref.runId;
    return crossStore ? `${stores.find((x) => x.storeId === ref.storeId)?.displayName ?? ref.storeId} · ${name}` : name;
  };
  const goTo = (ref: RunRef, eventId: string) => void showEventOf(ref, eventId).then(() => setCompare(null));
  return (
    <div className="compare" data-testid="compare">
      <div className="compare-bar">
        <RunPicker side="A" value={compare.a} onChange={(a) => setCompare({ ...compare, a })} runsByStore={runsByStore} />
        <button onClick={() => setCompare({ a: compare.b, b: compare.a })} title="swap">
          ⇄
        </button>
        <RunPicker side="B" value={compare.b} onChange={(b) => setCompare({ ...compare, b })} runsByStore={runsByStore} />
        <button onClick={() => setCompare(null)}>Close compare</button>
        {compared.loading && <span className="muted">Comparing…</span>}
      </div>
      {diff && (
        <>
          <div className="diff-summary" data-testid="diff-summary">
            {(['shared_events', 'parent_only_events', 'fork_only_events', 'divergent_objects', 'divergent_relations'] as const).map((k) => (
              <SummaryCard key={k} num={diff[k]} label={k.replace(/_/g, ' ').replace('parent only', 'only in A').replace('fork only', 'only in B')} />
            ))}
          </div>
          <div className="divergence" data-testid="divergence">
            {diff.divergence.a_event_id || diff.divergence.b_event_id ? (
              <>
                The logs part after <b>{diff.shared_events}</b> shared events (lifecycle events aside): A continues with{' '}
                {diff.divergence.a_event_id ? (
                  <button className="link" onClick={() => goTo(compare.a, diff.divergence.a_event_id!)}>
                    {diff.divergence.a_event_id}
                  </button>
                ) : (
                  'nothing'
                )}
                , B with{' '}
                {diff.divergence.b_event_id ? (
                  <button className="link" onClick={() => goTo(compare.b, diff.divergence.b_event_id!)}>
                    {diff.divergence.b_event_id}
                  </button>
                ) : (
                  'nothing'
                )}
                .
              </>
            ) : (
              'The two logs do not diverge.'
            )}
          </div>
          <div className="compare-main">
            <div className="aligned" data-testid="aligned">
              <div className="aligned-head">
                <span title={`A · ${runLabel(compare.a)}`}>A · {runLabel(compare.a)}</span>
                <span title={`B · ${runLabel(compare.b)}`}>B · {runLabel(compare.b)}</span>
              </div>
              <div className="collapsed">… {diff.shared_events} shared events collapsed …</div>
              {aligned?.pairs.map((p, i) => (
                <div key={i} className={`pair${p.match ? ' match' : ''}`}>
                  <Side row={p.a} side="a" />
                  <Side row={p.b} side="b" />
                </div>
              ))}
              {aligned?.more ? (
                <button className="collapsed link" onClick={() => setShown(Math.min(MAX_ALIGNED, shown + PAGE))}>
                  show {PAGE} more events on each side
                </button>
              ) : (
                shown >= MAX_ALIGNED && <div className="collapsed muted">aligned view stops at {MAX_ALIGNED} events per side; open each run's timeline for the rest</div>
              )}
            </div>
            <div className="diff-graph-wrap">
              <div className="legend">
                <span className="sw only-a" /> only in A <span className="sw only-b" /> only in B <span className="sw changed" /> changed <span className="sw same" /> same
              </div>
              {(diff.objects.length < diff.divergent_objects || diff.relations.length < diff.divergent_relations) && (
                <div className="muted small" data-testid="diff-capped">
                  {diff.divergent_objects.toLocaleString('en-US')} divergent objects — showing the {diff.objects.length.toLocaleString('en-US')} most connected, and{' '}
                  {diff.relations.length.toLocaleString('en-US')} of {diff.divergent_relations.toLocaleString('en-US')} divergent relations
                </div>
              )}
              <div className="diff-graph" ref={container} data-testid="diff-graph" />
              <GraphList
                testId="diff-list"
                items={[
                  ...diff.objects.map((o) => ({ id: o.id, label: o.id, kind: diffKind(o) })),
                  ...diff.relations.map((r) => {
                    const two = idNamesTwo(r);
                    const label = two ? `${r.id} names two relations: A ${arrow(two[0])} · B ${arrow(two[1])}` : arrow((r.in_parent ?? r.in_fork) as RelationEnds);
                    return { id: `rel:${r.id}`, label, kind: diffKind(r) };
                  }),
                ]}
                onPick={(id) => setPicked(diff.objects.find((o) => o.id === id) ?? diff.relations.find((r) => `rel:${r.id}` === id) ?? null)}
              />
              {picked && (
                <div className="graph-pick">
                  <button className="close" onClick={() => setPicked(null)}>
                    ×
                  </button>
                  <h4>{picked.id}</h4>
                  {idNamesTwo(picked) && (
                    <p className="id-names-two" data-testid="id-names-two">
                      This id names two different relations: in A {arrow(idNamesTwo(picked)![0])}, in B {arrow(idNamesTwo(picked)![1])}. The diff pairs relations by id, as Active
                      Graph&apos;s does, so it counts them as one divergent relation.
                    </p>
                  )}
                  {picked.in_parent && picked.in_fork ? (
                    <FieldDiff changes={entityChanges(picked.in_parent as Entity, picked.in_fork as Entity)} labels={['A', 'B']} />
                  ) : (
                    <JsonTree value={picked.in_parent ?? picked.in_fork} name={picked.in_parent ? 'only in A' : 'only in B'} />
                  )}
                </div>
              )}
            </div>
          </div>
        </>
      )}
    </div>
  );
}

/** The runs of every open store, so that either side can be a run of any of them. */
function useRunsOfOpenStores(stores: StoreInfo[]): Map<string, RunInfo[]> {
  const ids = stores.map((s) => s.storeId);
  const ask: Ask<Map<string, RunInfo[]>> = {
    key: JSON.stringify(['runsOfStores', ids]),
    of: ids,
    load: async (signal) => new Map(await Promise.all(ids.map(async (id) => [id, await call('listRuns', { storeId: id }, signal)] as const))),
  };
  return useTask('compare.runs', ask).data ?? new Map();
}

function RunPicker({ side, value, onChange, runsByStore }: { side: 'A' | 'B'; value: RunRef; onChange: (ref: RunRef) => void; runsByStore: Map<string, RunInfo[]> }) {
  const stores = useApp((s) => s.stores);
  const key = (ref: RunRef) => JSON.stringify([ref.storeId, ref.runId]);
  // The closed list shows only the option: name the store there too when several are open.
  const label = (s: StoreInfo, r: RunInfo) => `${r.label ?? r.goal ?? ''} (${shortRunId(r.run_id)})${stores.length > 1 ? ` · ${s.displayName}` : ''}`;
  return (
    <label>
      {side}{' '}
      <select
        value={key(value)}
        onChange={(e) => {
          const [storeId, runId] = JSON.parse(e.target.value) as [string, string];
          onChange({ storeId, runId });
        }}
        aria-label={`run ${side}`}
      >
        {stores.map((s) => (
          <optgroup key={s.storeId} label={s.displayName}>
            {(runsByStore.get(s.storeId) ?? []).map((r) => (
              <option key={r.run_id} value={key({ storeId: s.storeId, runId: r.run_id })}>
                {label(s, r)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

function Side({ row, side }: { row: TimelineRow | null; side: 'a' | 'b' }) {
  if (!row) return <div className={`side empty side-${side}`} />;
  return (
    <div className={`side side-${side}`} title={row.summary}>
      <span className="muted">{row.id}</span> <TypeChip type={row.type} failed={row.failed} /> <span className="summary">{row.summary}</span>
    </div>
  );
}
