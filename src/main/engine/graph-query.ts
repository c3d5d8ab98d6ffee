/**
 * Queries of a run's graph as of any event, in a small pattern language people half know from
 * Cypher, with the semantics of Active Graph's GraphStore query surface:
 *
 *   (c:claim)                                  find_objects("claim")  (`(c)`: every object)
 *   (x:claim|question)                         find_objects_in_types(["claim", "question"])
 *   (c:claim)<-[:supports]-(s:source)          match_chain(["claim", "source"], [("supports", "left")])
 *   (a)-[r]->(b:plan)                          a rel of any type; `-->` and `<--` are the short forms
 *   neighborhood(claim#11, 3)                  neighborhood("claim#11", 3)
 *   … where c.data.confidence < 0.5 and not exists s.data.url
 *   … as of evt_500123                         (or `as of seq 1234`)
 *
 * A chain is matched homomorphically (one object or relation may fill several positions), each hop
 * one relation of its type (any when none is given) in its direction, from the first position's
 * objects in the graph's order and along each object's relations in theirs. `where` filters the
 * bindings with Python's comparisons: numbers (bools included) by value, strings by code point;
 * an order between values Python cannot order (a string and a number), or a field the object
 * lacks, leaves the binding out (`exists` asks whether a field is there).
 */
import peggy from 'peggy';
import type { GraphObject, GraphRelation } from '../../shared/model.js';
import { eventNotFound, querySyntaxError } from '../base/errors.js';
import type { EventStore } from '../store/event-store.js';
import { pyCompareStrings, pyEqual, pyNumber } from '../base/pyjson.js';
import { objectLabel } from './graph-views.js';
import type { GraphReader } from './projection.js';

type Direction = 'right' | 'left';
interface NodePattern {
  var: string | null;
  /** One type (match_chain's position), several (find_objects_in_types), or null: any. */
  types: string[] | null;
}
interface RelPattern {
  var: string | null;
  type: string | null;
  direction: Direction;
}
type Value = { path: string[] } | { literal: unknown };
export type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not'; expr: Expr }
  | { op: 'exists'; path: string[] }
  | { op: 'cmp'; cmp: '=' | '!=' | '<' | '<=' | '>' | '>='; left: Value; right: Value }
  | { op: 'in'; left: Value; list: unknown[] }
  | { op: 'contains' | 'starts with'; left: Value; right: Value };

export interface ParsedQuery {
  kind: 'match' | 'neighborhood';
  nodes: NodePattern[];
  rels: RelPattern[];
  neighborhood: { objectId: string; depth: number } | null;
  where: Expr | null;
  /** `as of evt_…` (an event id) or `as of seq N`. */
  asOf: { eventId: string } | { seq: number } | null;
}

const GRAMMAR = String.raw`
Query = _ body:(Neighborhood / Match) w:(__ "where"i __ e:Expr { return e; })? a:(__ "as"i __ "of"i __ r:EventRef { return r; })? _ {
  return { ...body, where: w ?? null, asOf: a ?? null };
}
Neighborhood = "neighborhood"i _ "(" _ id:ObjectId _ "," _ d:Int _ ")" {
  return { kind: 'neighborhood', nodes: [], rels: [], neighborhood: { objectId: id, depth: d } };
}
Match = first:Node rest:(_ r:Rel _ n:Node { return [r, n]; })* {
  return { kind: 'match', nodes: [first, ...rest.map((x) => x[1])], rels: rest.map((x) => x[0]), neighborhood: null };
}
Node = "(" _ v:Ident? _ t:(":" _ ts:TypeList { return ts; })? _ ")" { return { var: v ?? null, types: t ?? null }; }
TypeList = head:Name tail:(_ "|" _ n:Name { return n; })* { return [head, ...tail]; }
Rel = "-[" _ b:RelBody _ "]->" { return { ...b, direction: 'right' }; }
    / "<-[" _ b:RelBody _ "]-" { return { ...b, direction: 'left' }; }
    / "-->" { return { var: null, type: null, direction: 'right' }; }
    / "<--" { return { var: null, type: null, direction: 'left' }; }
RelBody = v:Ident? _ t:(":" _ n:Name { return n; })? { return { var: v ?? null, type: t ?? null }; }
EventRef = "seq"i __ n:SignedInt { return { seq: n }; } / id:ObjectId { return { eventId: id }; }

Expr = Or
Or = head:And tail:(__ "or"i __ e:And { return e; })* { return tail.reduce((left, right) => ({ op: 'or', left, right }), head); }
And = head:Not tail:(__ "and"i __ e:Not { return e; })* { return tail.reduce((left, right) => ({ op: 'and', left, right }), head); }
Not = "not"i __ e:Not { return { op: 'not', expr: e }; } / Atom
Atom = "(" _ e:Expr _ ")" { return e; }
     / "exists"i __ p:Path { return { op: 'exists', path: p.path }; }
     / l:Value __ "in"i _ list:List { return { op: 'in', left: l, list }; }
     / l:Value __ "contains"i __ r:Value { return { op: 'contains', left: l, right: r }; }
     / l:Value __ "starts"i __ "with"i __ r:Value { return { op: 'starts with', left: l, right: r }; }
     / l:Value _ c:Cmp _ r:Value { return { op: 'cmp', cmp: c, left: l, right: r }; }
Cmp = "<=" / ">=" / "!=" / "<>" { return '!='; } / "==" { return '='; } / "=" / "<" / ">"
List = "[" _ items:(head:Literal tail:(_ "," _ v:Literal { return v; })* { return [head, ...tail]; })? _ "]" { return items ?? []; }
Value = v:Literal { return { literal: v }; } / Path
Path = head:Ident tail:("." k:Key { return k; })* { return { path: [head, ...tail] }; }
Key = Ident / s:String { return s; }
Literal = Number / s:String { return s; } / "true"i !IdentChar { return true; } / "false"i !IdentChar { return false; } / ("null"i / "none"i) !IdentChar { return null; }
Number = n:$("-"? [0-9]+ ("." [0-9]+)? ([eE] [+-]? [0-9]+)?) !IdentChar { return Number(n); }
Int = n:$([0-9]+) { return Number(n); }
SignedInt = n:$("-"? [0-9]+) { return Number(n); }
String = "'" chars:$([^'\\] / "\\" .)* "'" { return chars.replace(/\\(.)/g, '$1'); }
       / '"' chars:$([^"\\] / "\\" .)* '"' { return chars.replace(/\\(.)/g, '$1'); }
Ident = !Keyword i:$([A-Za-z_] IdentChar*) { return i; }
IdentChar = [A-Za-z0-9_]
Keyword = ("where"i / "and"i / "or"i / "not"i / "as"i / "in"i / "exists"i / "contains"i / "starts"i) !IdentChar
Name = $([A-Za-z_] [A-Za-z0-9_.\-]*) / String
ObjectId = $([^ \t\r\n(),]+) / String
_ = [ \t\r\n]*
__ = [ \t\r\n]+
`;

const parser = peggy.generate(GRAMMAR);

export function parseQuery(query: string): ParsedQuery {
  let parsed: ParsedQuery;
  try {
    parsed = parser.parse(query) as ParsedQuery;
  } catch (err) {
    throw querySyntaxError(query, err as Parameters<typeof querySyntaxError>[1]);
  }
  const vars = new Set<string>();
  for (const v of [...parsed.nodes.map((n) => n.var), ...parsed.rels.map((r) => r.var)]) {
    if (v === null) continue;
    if (vars.has(v)) throw querySyntaxError(query, { message: `the name ${v} is given to two positions; give each position its own name` });
    vars.add(v);
  }
  for (const path of pathsOf(parsed.where)) {
    if (!vars.has(path[0]!))
      throw querySyntaxError(query, { message: `${path.join('.')} names ${path[0]}, which the pattern does not (it names ${[...vars].join(', ') || 'nothing'})` });
  }
  return parsed;
}

function pathsOf(e: Expr | null): string[][] {
  if (!e) return [];
  switch (e.op) {
    case 'and':
    case 'or':
      return [...pathsOf(e.left), ...pathsOf(e.right)];
    case 'not':
      return pathsOf(e.expr);
    case 'exists':
      return [e.path];
    case 'in':
      return 'path' in e.left ? [e.left.path] : [];
    default:
      return [e.left, e.right].flatMap((v) => ('path' in v ? [v.path] : []));
  }
}

/** A match: the objects and relations at each position of the pattern. */
export interface Binding {
  nodes: GraphObject[];
  rels: GraphRelation[];
}

/** The names of a pattern's columns: its variables, or `n0`, `r0`, `n1`… for positions without one. */
export function columnsOf(q: ParsedQuery): { name: string; kind: 'object' | 'relation' }[] {
  if (q.kind === 'neighborhood') return [{ name: 'object', kind: 'object' }];
  const out: { name: string; kind: 'object' | 'relation' }[] = [];
  q.nodes.forEach((n, i) => {
    out.push({ name: n.var ?? `n${i}`, kind: 'object' });
    const r = q.rels[i];
    if (r) out.push({ name: r.var ?? `r${i}`, kind: 'relation' });
  });
  return out;
}

const typeOk = (o: GraphObject, types: string[] | null): boolean => types === null || types.includes(o.type);

/**
 * Every binding of the query in `graph`, in order (see the header), as a generator: a caller that
 * pages stops early, and `shouldStop` lets a long search yield or be cancelled between starts.
 */
export function* matchQuery(graph: GraphReader, q: ParsedQuery): Generator<Binding> {
  if (q.kind === 'neighborhood') {
    const { objects } = graph.neighborhood(q.neighborhood!.objectId, q.neighborhood!.depth);
    for (const o of objects) {
      const b = { nodes: [o], rels: [] };
      if (!q.where || holds(q.where, bindingValues(q, b))) yield b;
    }
    return;
  }
  const order = q.rels.length ? relationOrder(graph) : null;
  const nodes: GraphObject[] = [];
  const rels: GraphRelation[] = [];
  function* extend(i: number): Generator<Binding> {
    if (i === q.rels.length) {
      const b = { nodes: [...nodes], rels: [...rels] };
      if (!q.where || holds(q.where, bindingValues(q, b))) yield b;
      return;
    }
    const hop = q.rels[i]!;
    const from = nodes[i]!;
    const touching = graph.neighborhood(from.id, 1).relations.sort((a, b) => order!.get(a.id)! - order!.get(b.id)!);
    for (const r of touching) {
      if (hop.type !== null && r.type !== hop.type) continue;
      const [here, there] = hop.direction === 'right' ? [r.source, r.target] : [r.target, r.source];
      if (here !== from.id) continue;
      const next = graph.objects.get(there);
      if (!next || !typeOk(next, q.nodes[i + 1]!.types)) continue;
      nodes.push(next);
      rels.push(r);
      yield* extend(i + 1);
      nodes.pop();
      rels.pop();
    }
  }
  for (const o of graph.objects.values()) {
    if (!typeOk(o, q.nodes[0]!.types)) continue;
    nodes.push(o);
    yield* extend(0);
    nodes.pop();
  }
}

function relationOrder(graph: GraphReader): Map<string, number> {
  const order = new Map<string, number>();
  for (const id of graph.relations.keys()) order.set(id, order.size);
  return order;
}

function bindingValues(q: ParsedQuery, b: Binding): Map<string, unknown> {
  const values = new Map<string, unknown>();
  columnsOf(q).forEach((c, k) => values.set(c.name, k % 2 === 0 ? b.nodes[k / 2] : b.rels[(k - 1) / 2]));
  return values;
}

const MISSING = Symbol('missing');

function resolve(values: Map<string, unknown>, v: Value): unknown {
  if ('literal' in v) return v.literal;
  let cur: unknown = values.get(v.path[0]!);
  for (const key of v.path.slice(1)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return MISSING;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Python's ordering of two values, or undefined where Python raises TypeError. */
export function pyOrder(a: unknown, b: unknown): number | undefined {
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return pyCompareStrings(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (pyEqual(a[i], b[i])) continue;
      return pyOrder(a[i], b[i]);
    }
    return a.length - b.length;
  }
  return undefined;
}

function holds(e: Expr, values: Map<string, unknown>): boolean {
  switch (e.op) {
    case 'and':
      return holds(e.left, values) && holds(e.right, values);
    case 'or':
      return holds(e.left, values) || holds(e.right, values);
    case 'not':
      return !holds(e.expr, values);
    case 'exists':
      return resolve(values, { path: e.path }) !== MISSING;
    case 'in': {
      const v = resolve(values, e.left);
      return v !== MISSING && e.list.some((x) => pyEqual(v, x));
    }
    case 'contains': {
      const [a, b] = [resolve(values, e.left), resolve(values, e.right)];
      if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
      return Array.isArray(a) && a.some((x) => pyEqual(x, b));
    }
    case 'starts with': {
      const [a, b] = [resolve(values, e.left), resolve(values, e.right)];
      return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    }
    case 'cmp': {
      const [a, b] = [resolve(values, e.left), resolve(values, e.right)];
      if (a === MISSING || b === MISSING) return false; // a field the object lacks satisfies no comparison (`exists` asks for it)
      if (e.cmp === '=') return pyEqual(a, b);
      if (e.cmp === '!=') return !pyEqual(a, b);
      const o = pyOrder(a, b);
      if (o === undefined) return false;
      return e.cmp === '<' ? o < 0 : e.cmp === '<=' ? o <= 0 : e.cmp === '>' ? o > 0 : o >= 0;
    }
  }
}

/** A cell of a result: the object or relation at a position, as a row shows it. */
export interface QueryCell {
  id: string;
  type: string;
  /** An object's title, name or text; a relation's ends (`source → target`). */
  label: string | null;
}

/** Bindings counted at most (a count past it is said as "more than"). */
export const QUERY_COUNT_CAP = 100_000;

/**
 * One page of a query's bindings and how many there are (up to QUERY_COUNT_CAP), yielding to the
 * event loop every few thousand bindings so a long search neither holds the thread nor outlives
 * its caller.
 */
export async function queryPage(
  graph: GraphReader,
  q: ParsedQuery,
  page: { offset: number; limit: number },
  signal?: AbortSignal,
): Promise<{ rows: QueryCell[][]; total: number; complete: boolean }> {
  const rows: QueryCell[][] = [];
  let total = 0;
  for (const b of matchQuery(graph, q)) {
    if (total >= page.offset && rows.length < page.limit) rows.push(cellsOf(b));
    if (++total >= QUERY_COUNT_CAP) return { rows, total, complete: false };
    if (total % 5000 === 0) {
      await new Promise((r) => setImmediate(r));
      signal?.throwIfAborted();
    }
  }
  return { rows, total, complete: true };
}

function cellsOf(b: Binding): QueryCell[] {
  const cells: QueryCell[] = [];
  b.nodes.forEach((n, i) => {
    cells.push({ id: n.id, type: n.type, label: objectLabel(n) });
    const r = b.rels[i];
    if (r) cells.push({ id: r.id, type: r.type, label: `${r.source} → ${r.target}` });
  });
  return cells;
}

/** The seq a query's `as of` names in the run; an event the run does not have is refused (exit 3). */
export async function asOfSeqOf(store: EventStore, runId: string, asOf: NonNullable<ParsedQuery['asOf']>): Promise<number> {
  if ('seq' in asOf) return asOf.seq;
  const e = await store.getEvent(runId, asOf.eventId);
  if (!e) throw eventNotFound(asOf.eventId, runId, 'query', await store.isArchived(runId, asOf.eventId));
  return e.seq;
}
