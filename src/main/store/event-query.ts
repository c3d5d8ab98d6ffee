/**
 * Event queries, compiled to SQL on both drivers: conditions on an event's columns and on its
 * payload's fields by path, and on its place in `caused_by` chains, combined with and/or/not:
 *
 *   type = 'llm.responded' and payload.model = 'gpt-4o' and payload.cost_usd > 0.01
 *   actor starts with 'research' or type in ['tool.called', 'tool.responded']
 *   timestamp >= '2026-09-01T09:00:00Z' and not exists payload.error
 *   descendant of evt_120            ancestor of evt_512
 *
 * Values are always parameters. A number compares with a payload field that is a number or a
 * decimal string (Active Graph records costs as strings: "0.0021"), by value; a string compares
 * with a string field by code point; a field of another type, or absent, satisfies no comparison
 * (`exists` asks whether it is there). `timestamp` compares as an instant. The same rows come back
 * from SQLite and Postgres.
 */
import peggy from 'peggy';
import { querySyntaxError } from '../base/errors.js';
import { join, POSTGRES, sql, trusted, type Dialect, type Sql } from './sql-dialect.js';

type Literal = string | number | boolean | null;
type Field = { column: 'type' | 'actor' | 'id' | 'frame_id' | 'caused_by' | 'timestamp' | 'seq' } | { payload: string[] };
type Cmp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type EventExpr =
  | { op: 'and' | 'or'; left: EventExpr; right: EventExpr }
  | { op: 'not'; expr: EventExpr }
  | { op: 'exists'; field: Field }
  | { op: 'cmp'; cmp: Cmp; field: Field; value: Literal }
  | { op: 'in'; field: Field; values: Literal[] }
  | { op: 'contains' | 'starts with'; field: Field; value: string }
  | { op: 'descendant' | 'ancestor'; eventId: string };

const GRAMMAR = String.raw`
Query = _ e:Or _ { return e; }
Or = head:And tail:(__ "or"i __ e:And { return e; })* { return tail.reduce((left, right) => ({ op: 'or', left, right }), head); }
And = head:Not tail:(__ "and"i __ e:Not { return e; })* { return tail.reduce((left, right) => ({ op: 'and', left, right }), head); }
Not = "not"i __ e:Not { return { op: 'not', expr: e }; } / Atom
Atom = "(" _ e:Or _ ")" { return e; }
     / "exists"i __ f:Field { return { op: 'exists', field: f }; }
     / k:("descendant"i "s"i? { return 'descendant'; } / "ancestor"i "s"i? { return 'ancestor'; }) __ "of"i __ id:EventId { return { op: k, eventId: id }; }
     / f:Field __ "in"i _ l:List { return { op: 'in', field: f, values: l }; }
     / f:Field __ "contains"i __ v:String { return { op: 'contains', field: f, value: v }; }
     / f:Field __ "starts"i __ "with"i __ v:String { return { op: 'starts with', field: f, value: v }; }
     / f:Field _ c:Cmp _ v:Literal { return { op: 'cmp', cmp: c, field: f, value: v }; }
Field = "payload" keys:("." k:Key { return k; })+ { return { payload: keys }; }
      / c:("type" / "actor" / "id" / "frame_id" / "caused_by" / "timestamp" / "seq") !IdentChar { return { column: c }; }
Cmp = "<=" / ">=" / "!=" / "<>" { return '!='; } / "==" { return '='; } / "=" / "<" / ">"
List = "[" _ items:(head:Literal tail:(_ "," _ v:Literal { return v; })* { return [head, ...tail]; })? _ "]" { return items ?? []; }
Literal = Number / String / "true"i !IdentChar { return true; } / "false"i !IdentChar { return false; } / ("null"i / "none"i) !IdentChar { return null; }
Number = n:$("-"? [0-9]+ ("." [0-9]+)? ([eE] [+-]? [0-9]+)?) !IdentChar { return Number(n); }
String = "'" chars:$([^'\\] / "\\" .)* "'" { return chars.replace(/\\(.)/g, '$1'); }
       / '"' chars:$([^"\\] / "\\" .)* '"' { return chars.replace(/\\(.)/g, '$1'); }
Key = $([A-Za-z_] IdentChar*) / $([0-9]+) / "'" k:$[^'"]+ "'" { return k; }
EventId = $([^ \t\r\n()\[\],]+) / String
IdentChar = [A-Za-z0-9_]
_ = [ \t\r\n]*
__ = [ \t\r\n]+
`;

const parser = peggy.generate(GRAMMAR);
const EXAMPLES = "Event queries are conditions such as type = 'llm.responded' and payload.cost_usd > 0.01, or descendant of evt_120.";

export function parseEventQuery(query: string): EventExpr {
  try {
    return parser.parse(query) as EventExpr;
  } catch (err) {
    throw querySyntaxError(query, err as Parameters<typeof querySyntaxError>[1], EXAMPLES);
  }
}

/** A decimal written plainly (-12, 0.0021, .5): what a string must be to compare as a number. */
const PG_DECIMAL = String.raw`^-?[0-9]*\.?[0-9]*$`;

/** How each driver reads a payload field: its JSON type, its value as SQL, its text. */
interface Reader {
  /** 'number' | 'string' | 'boolean' | 'null' | … (null when absent). */
  kind: Sql;
  number: Sql;
  text: Sql;
  bool: Sql;
}

function payloadReader(d: Dialect, keys: string[]): Reader {
  if (d === POSTGRES) {
    const at = sql`payload #> ${keys}::text[]`;
    const text = sql`(payload #>> ${keys}::text[])`;
    const kind = sql`jsonb_typeof(${at})`;
    return {
      kind,
      text: sql`(CASE WHEN ${kind} = 'string' THEN ${text} END) COLLATE "C"`,
      number: sql`(CASE WHEN ${kind} = 'number' THEN (${text})::numeric WHEN ${kind} = 'string' AND ${text} ~ ${PG_DECIMAL} AND ${text} ~ '[0-9]' THEN (${text})::numeric END)`,
      bool: sql`(CASE WHEN ${kind} = 'boolean' THEN (${text})::boolean END)`,
    };
  }
  // A payload SQLite cannot read as JSON (a corrupted one) has no fields, rather than failing the query.
  const path = '$' + keys.map((k) => (/^[0-9]+$/.test(k) ? `[${k}]` : `."${k}"`)).join('');
  const kind = sql`(CASE WHEN json_valid(payload) THEN json_type(payload, ${path}) END)`;
  const value = sql`json_extract(payload, ${path})`;
  const bare = sql`(CASE WHEN substr(${value}, 1, 1) = '-' THEN substr(${value}, 2) ELSE ${value} END)`;
  const decimal = sql`(${bare} NOT GLOB '*[^0-9.]*' AND ${bare} NOT GLOB '*.*.*' AND ${bare} GLOB '*[0-9]*')`;
  return {
    kind: sql`(CASE ${kind} WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' WHEN 'text' THEN 'string' WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' ELSE ${kind} END)`,
    text: sql`(CASE WHEN ${kind} = 'text' THEN ${value} END)`,
    number: sql`(CASE WHEN ${kind} IN ('integer', 'real') THEN ${value} WHEN ${kind} = 'text' AND ${decimal} THEN CAST(${value} AS REAL) END)`,
    bool: sql`(CASE ${kind} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)`,
  };
}

function compare(left: Sql, cmp: Cmp, right: Sql): Sql {
  return sql`${left} ${trusted(cmp === '!=' ? '<>' : cmp)} ${right}`;
}

function fieldCondition(d: Dialect, field: Field, cmp: Cmp, value: Literal): Sql {
  if ('column' in field) {
    const col = trusted(field.column);
    if (value === null) return cmp === '=' ? sql`${col} IS NULL` : cmp === '!=' ? sql`${col} IS NOT NULL` : trusted('1 = 0');
    if (field.column === 'seq') return typeof value === 'number' ? compare(col, cmp, sql`${value}`) : trusted('1 = 0');
    if (typeof value !== 'string') return trusted('1 = 0');
    if (field.column === 'timestamp') return d === POSTGRES ? compare(col, cmp, sql`(${value})::timestamptz`) : compare(sql`julianday(timestamp)`, cmp, sql`julianday(${value})`);
    return compare(d === POSTGRES ? sql`${col} COLLATE "C"` : col, cmp, sql`${value}`);
  }
  const r = payloadReader(d, field.payload);
  if (value === null) return cmp === '=' ? sql`${r.kind} = 'null'` : cmp === '!=' ? sql`${r.kind} <> 'null'` : trusted('1 = 0');
  if (typeof value === 'number') return compare(r.number, cmp, sql`${value}`);
  if (typeof value === 'boolean') return cmp === '=' || cmp === '!=' ? compare(r.bool, cmp, d === POSTGRES ? sql`${value}` : sql`${value ? 1 : 0}`) : trusted('1 = 0');
  return compare(r.text, cmp, sql`${value}`);
}

function textOf(d: Dialect, field: Field): Sql {
  if ('payload' in field) return payloadReader(d, field.payload).text;
  return field.column === 'seq' ? trusted('NULL') : trusted(field.column);
}

/** The ids of an event's descendants (its effects, theirs, …) or ancestors (its causes) in the run. */
function chain(kind: 'descendant' | 'ancestor', runId: string, eventId: string): Sql {
  const step =
    kind === 'descendant'
      ? sql`SELECT e.id, e.caused_by FROM events e JOIN c ON e.caused_by = c.id WHERE e.run_id = ${runId}`
      : sql`SELECT e.id, e.caused_by FROM events e JOIN c ON e.id = c.cause WHERE e.run_id = ${runId}`;
  const start =
    kind === 'descendant'
      ? sql`SELECT id, caused_by FROM events WHERE run_id = ${runId} AND caused_by = ${eventId}`
      : sql`SELECT id, caused_by FROM events WHERE run_id = ${runId} AND id = ${eventId}`;
  return sql`id IN (WITH RECURSIVE c(id, cause) AS (${start} UNION ${step}) SELECT id FROM c WHERE id <> ${eventId})`;
}

/** The WHERE condition of an event query on `d`, for the run `runId`. */
export function eventQuerySql(expr: EventExpr, d: Dialect, runId: string): Sql {
  const go = (e: EventExpr): Sql => {
    switch (e.op) {
      case 'and':
      case 'or':
        return sql`(${go(e.left)} ${trusted(e.op.toUpperCase())} ${go(e.right)})`;
      case 'not':
        // A condition on an absent field is NULL in SQL; its negation must hold (it is "not so").
        return sql`NOT coalesce(${go(e.expr)}, ${trusted(d === POSTGRES ? 'false' : '0')})`;
      case 'exists':
        return 'payload' in e.field ? sql`${payloadReader(d, e.field.payload).kind} IS NOT NULL` : sql`${trusted(e.field.column)} IS NOT NULL`;
      case 'cmp':
        return fieldCondition(d, e.field, e.cmp, e.value);
      case 'in':
        return e.values.length
          ? sql`(${join(
              e.values.map((v) => fieldCondition(d, e.field, '=', v)),
              ' OR ',
            )})`
          : trusted('1 = 0');
      case 'contains':
        return d === POSTGRES ? sql`strpos(${textOf(d, e.field)}, ${e.value}) > 0` : sql`instr(${textOf(d, e.field)}, ${e.value}) > 0`;
      case 'starts with':
        return sql`substr(${textOf(d, e.field)}, 1, ${trusted(String([...e.value].length))}) = ${e.value}`;
      case 'descendant':
      case 'ancestor':
        return chain(e.op, runId, e.eventId);
    }
  };
  return go(expr);
}

const parsed = new Map<string, EventExpr>();

/** `parseEventQuery`, remembered: a view's statements all carry the same query. */
export function eventQueryOf(query: string): EventExpr {
  let e = parsed.get(query);
  if (!e) {
    e = parseEventQuery(query);
    if (parsed.size > 200) parsed.clear();
    parsed.set(query, e);
  }
  return e;
}
