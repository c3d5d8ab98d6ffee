/**
 * The viewer of a saved page (usecases/save-page): the run's timeline, the selected event's detail,
 * the graph as of it (the page's graph changes applied up to its seq, drawn by Cytoscape) and the
 * waterfall. Everything is in the file: it reads the data from the page and asks nothing of any
 * server.
 */
import cytoscape from 'cytoscape';
import type { GraphObject, GraphRelation } from '../../shared/model';
import type { PageEvent, RunPage } from '../../shared/offline-page';
import './page.css';

const page = JSON.parse(document.getElementById('run-page')!.textContent!) as RunPage;
const ROW = 24;
/** Drawn in full up to this many objects; beyond, the selected event's neighborhood. */
const GRAPH_NODES = 400;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};

const summary = (e: PageEvent): string => {
  if (e.corrupted) return 'corrupted payload';
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const o = p.object as { id?: string; type?: string } | undefined;
  const r = p.relation as { source?: string; type?: string; target?: string } | undefined;
  if (o?.id) return `${o.id}`;
  if (r?.type) return `${r.source} --${r.type}--> ${r.target}`;
  for (const k of ['behavior', 'model', 'tool', 'goal', 'message']) if (typeof p[k] === 'string') return String(p[k]).slice(0, 120);
  return '';
};

// ---- layout
const root = document.getElementById('page')!;
const title = page.run.label ?? page.run.goal ?? page.run.run_id;
const kept = page.kept.whole
  ? `${page.eventsTotal.toLocaleString('en-US')} events`
  : `events ${page.events[0]?.seq ?? ''}–${page.events[page.events.length - 1]?.seq ?? ''} (${page.kept.events.toLocaleString('en-US')} of the run's ${page.eventsTotal.toLocaleString('en-US')})`;
const header = el(
  'header',
  {},
  el('h1', {}, title),
  el('div', { class: 'muted' }, `${page.run.run_id} · ${kept} · from ${page.store} · saved ${page.savedAt.slice(0, 19).replace('T', ' ')} UTC`),
);
if (!page.kept.whole) header.append(el('div', { class: 'notice', 'data-testid': 'page-kept' }, `This page keeps ${kept}; the rest of the run is not in it.`));
const list = el('div', { class: 'timeline', 'data-testid': 'page-timeline', tabindex: '0' });
const spacer = el('div', { class: 'spacer' });
list.append(spacer);
const tabs = el('nav', { class: 'tabs' });
const panel = el('section', { class: 'panel' });
root.append(header, el('main', {}, list, el('div', { class: 'side' }, tabs, panel)));

// ---- timeline (virtualized: only the rows in view are in the document)
let selected = 0;
spacer.style.height = `${page.events.length * ROW}px`;
function drawRows(): void {
  const first = Math.max(0, Math.floor(list.scrollTop / ROW) - 5);
  const last = Math.min(page.events.length, first + Math.ceil(list.clientHeight / ROW) + 10);
  for (const r of [...list.querySelectorAll('.row')]) r.remove();
  for (let i = first; i < last; i++) {
    const e = page.events[i]!;
    const row = el(
      'div',
      { class: `row${i === selected ? ' selected' : ''}${e.corrupted ? ' corrupted' : ''}`, 'data-seq': String(e.seq), 'data-event-id': e.id },
      el('span', { class: 'seq' }, String(e.seq)),
      el('span', { class: 'id' }, e.id),
      el('span', { class: 'type' }, e.type),
      el('span', { class: 'actor' }, e.actor ?? ''),
      el('span', { class: 'sum' }, summary(e)),
    );
    row.style.top = `${i * ROW}px`;
    row.addEventListener('click', () => select(i));
    list.append(row);
  }
}
list.addEventListener('scroll', drawRows);
list.addEventListener('keydown', (ev) => {
  const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[ev.key];
  if (step === undefined) return;
  ev.preventDefault();
  select(Math.min(page.events.length - 1, Math.max(0, selected + step)), true);
});

function select(i: number, scroll = false): void {
  selected = i;
  if (scroll) {
    const top = i * ROW;
    if (top < list.scrollTop || top > list.scrollTop + list.clientHeight - ROW) list.scrollTop = top - list.clientHeight / 2;
  }
  drawRows();
  show(current);
}

// ---- the side panel: the event, the graph as of it, the waterfall
type Tab = 'Event' | 'Graph' | 'Waterfall';
let current: Tab = 'Event';
for (const t of ['Event', 'Graph', 'Waterfall'] as Tab[]) {
  const b = el('button', { role: 'tab' }, t);
  b.addEventListener('click', () => show(t));
  tabs.append(b);
}

function show(tab: Tab): void {
  current = tab;
  for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.textContent === tab));
  panel.replaceChildren();
  const e = page.events[selected];
  if (!e) return void panel.append(el('p', { class: 'muted' }, 'This page keeps no events.'));
  if (tab === 'Event') showEvent(e);
  else if (tab === 'Graph') showGraph(e);
  else showWaterfall();
}

function showEvent(e: PageEvent): void {
  const fields = el('dl', { 'data-testid': 'page-detail' });
  for (const [k, v] of [
    ['id', e.id],
    ['type', e.type],
    ['seq', String(e.seq)],
    ['actor', e.actor ?? '(none)'],
    ['caused by', e.caused_by ?? '(none)'],
    ['frame', e.frame_id ?? '(none)'],
    ['timestamp', e.timestamp],
  ] as const)
    fields.append(el('dt', {}, k), el('dd', {}, v));
  const cause = e.caused_by ? page.events.findIndex((x) => x.id === e.caused_by) : -1;
  if (cause >= 0) {
    const link = el('button', { class: 'link' }, `go to ${e.caused_by}`);
    link.addEventListener('click', () => select(cause, true));
    fields.append(el('dt', {}, ''), el('dd', {}, link));
  }
  const payload = el('pre', { class: 'payload' }, e.corrupted ? String(e.payload) : JSON.stringify(e.payload, null, 2));
  panel.append(fields, e.corrupted ? el('p', { class: 'notice' }, 'The stored payload is not valid JSON; its text is shown as stored.') : '', payload);
}

/** The graph after the event with `seq`: the base, and every change up to it. */
function graphAt(seq: number): { objects: Map<string, GraphObject>; relations: Map<string, GraphRelation> } {
  const objects = new Map(page.base.objects.map((o) => [o.id, o]));
  const relations = new Map(page.base.relations.map((r) => [r.id, r]));
  for (const c of page.changes) {
    if (c.seq > seq) break;
    for (const [k, id] of c.del) (k === 'o' ? objects : relations).delete(id);
    for (const [k, rec] of c.set) {
      if (k === 'o') objects.set(rec.id, rec);
      else relations.set(rec.id, rec as GraphRelation);
    }
  }
  return { objects, relations };
}

let cy: cytoscape.Core | null = null;
function showGraph(e: PageEvent): void {
  cy?.destroy();
  const { objects, relations } = graphAt(e.seq);
  let shownObjects = [...objects.values()];
  let note = `${objects.size} objects, ${relations.size} relations as of ${e.id}`;
  if (objects.size > GRAPH_NODES) {
    // Too many to draw legibly: the objects this event names and their neighbors.
    const p = (e.payload ?? {}) as Record<string, { id?: string; source?: string; target?: string } | string | undefined>;
    const named = new Set([p.object, p.relation].flatMap((x) => (x && typeof x === 'object' ? [x.id, x.source, x.target] : [])).filter((x): x is string => !!x && objects.has(x)));
    for (const r of relations.values()) if (named.has(r.source) || named.has(r.target)) [r.source, r.target].forEach((x) => objects.has(x) && named.add(x));
    shownObjects = [...named].map((id) => objects.get(id)!);
    note += `; drawn: the ${shownObjects.length} around this event (more than ${GRAPH_NODES} in all)`;
  }
  const ids = new Set(shownObjects.map((o) => o.id));
  const shownRelations = [...relations.values()].filter((r) => ids.has(r.source) && ids.has(r.target));
  const box = el('div', { class: 'graph', 'data-testid': 'page-graph', 'data-objects': String(objects.size), 'data-relations': String(relations.size) });
  panel.append(
    el(
      'p',
      { class: 'muted' },
      page.graphError && page.changes.length && e.seq > page.changes[page.changes.length - 1]!.seq ? `${note}. The graph stops at a damaged payload: ${page.graphError}` : note,
    ),
    box,
  );
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  cy = cytoscape({
    container: box,
    elements: [
      ...shownObjects.map((o) => ({ data: { id: `o:${o.id}`, label: o.id } })),
      ...shownRelations.map((r) => ({ data: { id: `r:${r.id}`, source: `o:${r.source}`, target: `o:${r.target}`, label: r.type } })),
    ],
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 9, 'background-color': '#4c7bd9', color: dark ? '#e6e8ec' : '#1d2330', width: 14, height: 14 } },
      {
        selector: 'edge',
        style: {
          label: 'data(label)',
          'font-size': 7,
          width: 1,
          'line-color': '#9aa3b2',
          'target-arrow-shape': 'triangle',
          'target-arrow-color': '#9aa3b2',
          'curve-style': 'bezier',
          color: dark ? '#b8bfcc' : '#5a6372',
        },
      },
    ],
    layout: { name: shownObjects.length > 150 ? 'grid' : 'cose', animate: false },
  });
}

function showWaterfall(): void {
  const spans = page.spans;
  const times = spans.flatMap((s) => [s.start, s.end]).filter((t): t is number => t !== null);
  const box = el('div', { class: 'waterfall', 'data-testid': 'page-waterfall' });
  if (spans.length === 0 || times.length === 0) return void panel.append(el('p', { class: 'muted' }, 'No spans in the kept events.'));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const span = Math.max(1, t1 - t0);
  panel.append(el('p', { class: 'muted' }, `${spans.length} spans over ${((t1 - t0) / 1000).toFixed(1)} s`), box);
  spans.forEach((s) => {
    const start = s.start ?? t0;
    const end = s.end ?? t1;
    const bar = el('div', { class: `bar ${s.kind} ${s.status}`, title: `${s.name} (${s.kind}, ${s.status}) ${((end - start) / 1000).toFixed(2)} s` });
    bar.style.left = `${((start - t0) / span) * 100}%`;
    bar.style.width = `max(2px, ${((end - start) / span) * 100}%)`;
    const row = el('div', { class: 'lane', 'data-span': s.id }, el('span', { class: 'name' }, `${'· '.repeat(s.depth)}${s.name}`), el('div', { class: 'track' }, bar));
    row.addEventListener('click', () => {
      const i = page.events.findIndex((x) => x.id === s.id);
      if (i >= 0) select(i, true);
    });
    box.append(row);
  });
}

drawRows();
show('Event');
list.focus();
