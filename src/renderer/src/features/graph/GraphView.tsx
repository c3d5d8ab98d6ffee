/**
 * A Cytoscape view of an object's neighborhood in the graph as of the selected event: moving
 * through the timeline moves the graph through time.
 */
import { ObjectHistory } from '../../ui/ObjectHistory';
import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import { typeHue } from '../../ui/format';
import { fitGraph, graphLayout } from './graph-layout';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { GraphList } from '../../ui/GraphList';
import { JsonTree } from '../../ui/JsonTree';
import { THEME_CHANGED } from '../../ui/theme';

type Hood = OpOutput<'neighborhood'>;
type Picked = { kind: 'object'; obj: Hood['objects'][number] } | { kind: 'relation'; rel: Hood['relations'][number] };

/** The object an event is about, if any. */
export function focusOf(type: string, payload: any): string | null {
  if (!payload || typeof payload !== 'object') return null;
  if (type === 'object.created') return payload.object?.id ?? null;
  if (type === 'relation.created') return payload.relation?.source ?? null;
  if (type === 'patch.applied' || type === 'patch.proposed') return payload.target ?? payload.patch?.target ?? null;
  if (type === 'object.removed') return null;
  if (type === 'context.read') return Array.isArray(payload.object_ids) ? (payload.object_ids[0] ?? null) : null;
  return payload.triggering_object_id ?? null;
}

/** What a selected context.read event read: drawn as dashed "read" edges from its step to the objects in view. */
function readsOf(event: { id: string; type: string; payload: unknown } | null | undefined): { step: string; label: string; objects: string[] } | null {
  if (!event || event.type !== 'context.read') return null;
  const p = event.payload as { behavior?: unknown; object_ids?: unknown } | null;
  const objects = Array.isArray(p?.object_ids) ? p.object_ids.map(String) : [];
  return { step: `read:${event.id}`, label: `${String(p?.behavior ?? 'step')} (${event.id})`, objects };
}

export function GraphView() {
  const { storeId, runId, selected, focus, setFocus, archivedPick, runtime } = useApp(
    useShallow((s) => ({
      storeId: s.storeId,
      runtime: s.stores.find((x) => x.storeId === s.storeId)?.runtime ?? 'Active Graph',
      runId: s.runId,
      selected: s.selected,
      focus: s.graphFocus,
      setFocus: s.setGraphFocus,
      // An event of the archive tier: it lies before the snapshot the hot log starts from.
      archivedPick: s.showArchived && s.selected !== null,
    })),
  );
  const [depth, setDepth] = useState(2);
  const [maximized, setMaximized] = useState(false);
  // The canvas changes size with the pane: Cytoscape must be told, and the graph fitted again.
  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    c.resize();
    fitGraph(c);
  }, [maximized]);
  const [picked, setPicked] = useState<Picked | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const asOfSeq = selected?.seq;
  const selectedId = selected?.id;

  // The focus follows the selected event when it is about an object.
  const { data: selectedEvent } = useView('event', 'getEvent', storeId && runId && selectedId ? { storeId, runId, eventId: selectedId } : null, { quiet: true });
  useEffect(() => {
    if (!selectedEvent) return;
    const chosen = useApp.getState();
    if (chosen.graphFocus && chosen.graphFocusFor === selectedEvent.id) return; // chosen for this very event (the palette, the box)
    const f = focusOf(selectedEvent.type, selectedEvent.payload);
    if (f) setFocus(f);
  }, [selectedEvent, setFocus]);

  // The graph as of the selected event; the last one stays shown (and labelled as what it is) while the next is computed.
  const eventAt = useRef(new Map<number, string>());
  useEffect(() => void (selected && eventAt.current.set(selected.seq, selected.id)), [selected]);
  const shown = useView('graph.overview', 'graphOverview', storeId && runId && !archivedPick ? { storeId, runId, asOfSeq } : null, { keep: true });
  const overview = shown.data;
  const shownAsOf = shown.of?.asOfSeq === undefined ? null : (eventAt.current.get(shown.of.asOfSeq) ?? `seq ${shown.of.asOfSeq}`);
  useEffect(() => {
    if (overview && !useApp.getState().graphFocus) setFocus(overview.hubs[0]?.id ?? null);
  }, [overview, setFocus]);

  const hoodView = useView(
    'graph.neighborhood',
    'neighborhood',
    storeId && runId && focus && !archivedPick ? { storeId, runId, objectId: focus, depth, asOfSeq, limit: 1500 } : null,
    {
      keep: true,
    },
  );
  const hood = hoodView.data;
  const reads = readsOf(selectedEvent);
  const readsInView = reads && hood ? reads.objects.filter((id) => hood.objects.some((o) => o.id === id)) : [];

  // The canvas draws with the theme's colours: restyled when the theme changes, like the rest of the page.
  const [labelColor, setLabelColor] = useState(() => themeColors().fg);
  useEffect(() => {
    if (!container.current) return;
    cy.current = cytoscape({ container: container.current, minZoom: 0.2, maxZoom: 3, style: graphStyle(themeColors()) });
    const restyle = () => {
      const colors = themeColors();
      cy.current?.style(graphStyle(colors));
      setLabelColor(colors.fg);
    };
    window.addEventListener(THEME_CHANGED, restyle);
    return () => {
      window.removeEventListener(THEME_CHANGED, restyle);
      cy.current?.destroy();
    };
  }, []);

  useEffect(() => {
    const c = cy.current;
    if (!c || !hood) return;
    const objects = new Map(hood.objects.map((o) => [o.id, o]));
    const els: ElementDefinition[] = hood.objects.map((o) => ({
      data: { id: o.id, label: o.id, color: `hsl(${typeHue(o.type)}, 60%, 55%)` },
      classes: o.id === focus ? 'focus' : '',
    }));
    for (const r of hood.relations) {
      for (const end of [r.source, r.target])
        if (!objects.has(end) && !els.some((e) => e.data.id === end)) els.push({ data: { id: end, label: `${end} (missing)`, color: '#bbb' } });
      els.push({ data: { id: `rel:${r.id}`, source: r.source, target: r.target, label: r.type } });
    }
    if (reads) {
      const inView = reads.objects.filter((id) => objects.has(id));
      if (inView.length) els.push({ data: { id: reads.step, label: reads.label, color: '#5a9e6f' }, classes: 'reader' });
      for (const id of inView) els.push({ data: { id: `${reads.step}>${id}`, source: reads.step, target: id, label: 'read' }, classes: 'read' });
    }
    c.elements().remove();
    c.add(els);
    c.layout(graphLayout(els.length)).run();
    fitGraph(c);
    c.off('tap');
    c.on('tap', 'node', (e) => {
      const o = objects.get(e.target.id());
      if (o) setPicked({ kind: 'object', obj: o });
    });
    c.on('tap', 'edge', (e) => {
      const r = hood.relations.find((x) => `rel:${x.id}` === e.target.id());
      if (r) setPicked({ kind: 'relation', rel: r });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a hood is fetched for the focus: a new focus brings its own hood, drawn then
  }, [hood, reads?.step]);

  // The objects the Query panel's answer names are ringed here.
  const queryMatches = useApp((s) => s.queryMatches);
  const matchesInView = hood ? hood.objects.filter((o) => queryMatches.includes(o.id)).length : 0;
  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    c.nodes().removeClass('match');
    for (const id of queryMatches) c.getElementById(id).addClass('match');
  }, [queryMatches, hood]);

  const exportPng = () => {
    const png = cy.current?.png({ full: true, scale: 2, bg: getComputedStyle(document.body).backgroundColor });
    if (!png) return;
    const a = document.createElement('a');
    a.href = png;
    a.download = `graph-${focus ?? 'run'}-${asOfSeq ?? 'end'}.png`;
    a.click();
  };

  return (
    <div className={`graph-view${maximized ? ' maximized' : ''}`} onKeyDown={(e) => maximized && e.key === 'Escape' && (e.stopPropagation(), setMaximized(false))}>
      <div className="graph-bar">
        <input list="hubs" value={focus ?? ''} onChange={(e) => setFocus(e.target.value || null)} placeholder="object id" aria-label="focus object" />
        <datalist id="hubs">
          {overview?.hubs.map((h) => (
            <option key={h.id} value={h.id}>{`${h.type} · ${h.degree} links`}</option>
          ))}
        </datalist>
        <label>
          depth{' '}
          <select value={depth} onChange={(e) => setDepth(Number(e.target.value))} aria-label="depth">
            {[1, 2, 3].map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <button onClick={exportPng}>PNG</button>
        <button onClick={() => setMaximized(!maximized)} aria-pressed={maximized} title={maximized ? 'Back to the panel (Escape)' : 'Use the whole window'}>
          {maximized ? 'Restore' : 'Maximize'}
        </button>
      </div>
      {archivedPick && (
        <p className="notice small" data-testid="graph-archived">
          {selectedId} is archived: a compaction moved it below the run&apos;s snapshot, and the graph is projected from the snapshot on, so there is no graph as of it. Pick an
          event of the hot log (untick “archived”) for the graph as of it.
        </p>
      )}
      {overview && overview.objects === 0 && runtime !== 'Active Graph' && !shown.loading && (
        <p className="notice small" data-testid="graph-none">
          This run has no graph: {runtime} records no objects or relations for it. Its steps are in the timeline and the waterfall.
        </p>
      )}
      <div className="graph-meta" data-testid="graph-meta">
        {shown.loading && (
          <span className="computing" data-testid="graph-computing">
            computing the graph as of {selectedId ?? 'the end of the run'}…{' '}
          </span>
        )}
        as of {shownAsOf ? <b>{shownAsOf}</b> : 'the end of the run'} · graph {overview?.objects ?? 0} objects, {overview?.relations ?? 0} relations
        {hood &&
          (hood.truncated
            ? ` · showing ${hood.objects.length} of ${hood.totalObjects} objects (capped)`
            : ` · neighborhood ${hood.objects.length} objects, ${hood.relations.length} relations`)}
        {hood && focus && hood.totalObjects === 0 && hoodView.of?.asOfSeq === shown.of?.asOfSeq && <span className="warn"> · {focus} does not exist at this point</span>}
        {matchesInView > 0 && (
          <span data-testid="graph-query-matches">
            {' '}
            · <span className="query-ring" /> {matchesInView} of the query&apos;s objects in view
          </span>
        )}
        {reads && (
          <span data-testid="graph-reads">
            {' '}
            · {reads.label} read {reads.objects.length} object{reads.objects.length === 1 ? '' : 's'}, {readsInView.length} in view (dashed)
          </span>
        )}
      </div>
      {hood && hood.objects.length > 0 && (
        <div className="graph-legend muted small" data-testid="graph-legend" aria-label="node types">
          {[...new Set(hood.objects.map((o) => o.type))].sort().map((t) => (
            <span key={t}>
              <span className="sw" style={{ background: `hsl(${typeHue(t)}, 60%, 55%)` }} /> {t}
            </span>
          ))}
        </div>
      )}
      <div className="graph-canvas" ref={container} data-testid="graph-canvas" data-label-color={labelColor} />
      {hood && (
        <GraphList
          testId="graph-list"
          items={[
            ...hood.objects.map((o) => ({ id: o.id, label: o.id, kind: o.type })),
            ...hood.relations.map((r) => ({ id: `rel:${r.id}`, label: `${r.source} —${r.type}→ ${r.target}`, kind: 'relation' })),
            ...readsInView.map((id) => ({ id: `${reads!.step}>${id}`, label: `${reads!.label} —read→ ${id}`, kind: 'read' })),
          ]}
          onPick={(id) => {
            const o = hood.objects.find((x) => x.id === id);
            const r = hood.relations.find((x) => `rel:${x.id}` === id);
            if (o) setPicked({ kind: 'object', obj: o });
            else if (r) setPicked({ kind: 'relation', rel: r });
          }}
        />
      )}
      {picked && (
        <div className="graph-pick">
          <button className="close" onClick={() => setPicked(null)} aria-label="close">
            ×
          </button>
          {picked.kind === 'object' ? (
            <>
              <h4>
                {picked.obj.id}{' '}
                <span className="muted">
                  {picked.obj.type} · v{picked.obj.version}
                </span>
              </h4>
              <button className="link" onClick={() => setFocus(picked.obj.id)}>
                focus here
              </button>
              <JsonTree value={picked.obj.data} name="data" />
              <JsonTree value={picked.obj.provenance} name="provenance" depth={1} />
              <h4>Events that touched it</h4>
              <ObjectHistory slot="graph.history" objectId={picked.obj.id} />
            </>
          ) : (
            <>
              <h4>
                {picked.rel.id}{' '}
                <span className="muted">
                  {picked.rel.source} --{picked.rel.type}--&gt; {picked.rel.target}
                </span>
              </h4>
              <JsonTree value={picked.rel.data} name="data" />
              <JsonTree value={picked.rel.provenance} name="provenance" depth={1} />
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** The theme's colours the graph is drawn with (CSS variables of the document). */
function themeColors(): { fg: string; muted: string } {
  const styles = getComputedStyle(document.documentElement);
  return { fg: styles.getPropertyValue('--fg').trim() || '#222', muted: styles.getPropertyValue('--muted').trim() || '#888' };
}

function graphStyle({ fg, muted }: { fg: string; muted: string }): StylesheetJson {
  return [
    {
      selector: 'node',
      style: { 'background-color': 'data(color)', label: 'data(label)', 'font-size': 10, color: fg, 'text-valign': 'bottom', 'text-margin-y': 3, width: 22, height: 22 },
    },
    { selector: 'node.focus', style: { 'border-width': 3, 'border-color': '#f5a623', width: 30, height: 30 } },
    { selector: 'node.match', style: { 'border-width': 4, 'border-style': 'double', 'border-color': '#c026d3' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#1f77ff' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': muted,
        'target-arrow-color': muted,
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
        label: 'data(label)',
        'font-size': 8,
        color: muted,
        'text-rotation': 'autorotate',
      },
    },
    { selector: 'edge:selected', style: { 'line-color': '#1f77ff', 'target-arrow-color': '#1f77ff', width: 3 } },
    { selector: 'node.reader', style: { shape: 'round-rectangle', 'background-color': '#5a9e6f', width: 30, height: 18 } },
    { selector: 'edge.read', style: { 'line-style': 'dashed', 'line-color': '#5a9e6f', 'target-arrow-color': '#5a9e6f', color: '#5a9e6f' } },
  ];
}
