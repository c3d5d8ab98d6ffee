/**
 * SQL text built safely, and the two dialects the store's statements are written for. A statement
 * is a `sql` template whose interpolations are parameters (never spliced text; `trusted` marks the
 * few fragments of our own making); a dialect spells what differs between SQLite and Postgres: the
 * placeholders, the payload as text, case-insensitive LIKE, integer counts and run order.
 */
export class Sql {
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** Text of our own making spliced as is (column lists, fragments built here); never user input. */
export function trusted(text: string): Sql {
  return new Sql([text], []);
}

/** A statement: `${x}` is a parameter, a nested `Sql` is spliced with its own parameters. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const parts: string[] = [strings[0]!];
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof Sql) {
      parts[parts.length - 1] += v.parts[0]!;
      for (let k = 0; k < v.values.length; k++) {
        params.push(v.values[k]);
        parts.push(v.parts[k + 1]!);
      }
    } else {
      params.push(v);
      parts.push('');
    }
    parts[parts.length - 1] += strings[i + 1]!;
  });
  return new Sql(parts, params);
}

/** `a`, `b`, `c` joined by `sep` (each may carry parameters). */
export function join(items: Sql[], sep: string): Sql {
  return items.reduce<Sql | null>((acc, item) => (acc ? sql`${acc}${trusted(sep)}${item}` : item), null) ?? trusted('');
}

export interface Dialect {
  placeholder(i: number): string;
  /** An event row's columns, the payload as text. */
  eventColumns: string;
  /** The payload as text, in a WHERE clause. */
  payloadText: string;
  /** Case-insensitive LIKE. */
  ilike: string;
  /** A count as a JavaScript number. */
  count(expr: string): string;
  /** Runs in the order Active Graph lists them. */
  runOrder: string;
  /** Whether the payload is JSON that Python's json reads the same way. */
  payloadValid: string;
  /**
   * One run's rows with `after < seq < before`, written so that the run's own (run_id, seq) index
   * is walked: a read costs what the run holds, never what the store holds (see POSTGRES).
   */
  inRun(runId: string, after?: number, before?: number): Sql;
  /** The order of a run's rows that only its (run_id, seq) index gives, ascending or descending. */
  runSeqOrder(desc?: boolean): string;
  /** How a fleet roll-up reads payload fields (see `fleetWindow`). */
  fleet: {
    /** The payload where the roll-up reads it (null where it cannot: SQLite's JSON functions refuse what Python reads, e.g. NaN). */
    payload: string;
    /** The event's day (UTC). */
    day: string;
    /** Whether a field is a string, a number. */
    isText(field: string): string;
    isNumber(field: string): string;
    text(field: string): string;
    /** A field absent or falsy as Python's `not` reads it (0, false, null, ""). */
    falsy(field: string): string;
    /** The sum of the cost terms: exact numeric text on Postgres; the terms joined by U+001F on SQLite (the store sums them as DecimalSum reads them). */
    costSum(expr: string): string;
    /** A field that may be a cost term (Postgres checks it is a decimal; SQLite leaves that to DecimalSum). */
    decimal(field: string): string;
    countIf(cond: string): string;
  };
}

/** A decimal string as DecimalSum reads one (base/decimal-sum.ts). */
const DECIMAL_TEXT = String.raw`^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,4})?\s*$`;

/** Beyond any seq a store holds (seqs are whole numbers: a damaged one may be negative). */
export const SEQ_FLOOR = Number.MIN_SAFE_INTEGER;
export const SEQ_CEILING = Number.MAX_SAFE_INTEGER;

export const SQLITE: Dialect = {
  placeholder: () => '?',
  eventColumns: 'seq, id, type, actor, payload, frame_id, caused_by, timestamp',
  payloadText: 'payload',
  ilike: 'LIKE',
  count: (expr) => `count(${expr})`,
  runOrder: 'r.created_at ASC, r.rowid ASC',
  payloadValid: 'json_valid(payload)',
  // SQLite's planner takes the (run_id, seq) index for these already (seq is the rowid).
  inRun: (runId, after, before) =>
    sql`run_id = ${runId}${after === undefined ? trusted('') : sql` AND seq > ${after}`}${before === undefined ? trusted('') : sql` AND seq < ${before}`}`,
  runSeqOrder: (desc) => (desc ? 'seq DESC' : 'seq'),
  fleet: {
    payload: 'CASE WHEN json_valid(payload) THEN payload END',
    day: 'substr(timestamp, 1, 10)', // Active Graph writes UTC ISO timestamps
    isText: (f) => `json_type(p, '$.${f}') = 'text'`,
    isNumber: (f) => `json_type(p, '$.${f}') IN ('integer', 'real')`,
    text: (f) => `(p ->> '$.${f}')`,
    falsy: (f) => `COALESCE(p -> '$.${f}' IN ('0', '0.0', '-0', 'false', 'null', '""'), 1)`,
    costSum: (e) => `group_concat(${e}, char(31))`,
    decimal: (f) => `(json_type(p, '$.${f}') IN ('integer', 'real', 'text'))`,
    countIf: (c) => `sum(CASE WHEN ${c} THEN 1 ELSE 0 END)`,
  },
};

export const POSTGRES: Dialect = {
  placeholder: (i) => `$${i}`,
  eventColumns: 'seq, id, type, actor, payload::text AS payload, frame_id, caused_by, timestamp',
  payloadText: 'payload::text',
  ilike: 'ILIKE',
  count: (expr) => `count(${expr})::int`,
  runOrder: 'r.created_at ASC, r.run_id ASC',
  // A JSONB payload is valid JSON by construction (it cannot hold NaN either).
  payloadValid: '1',
  // Postgres' planner, given `run_id = $1 AND seq > $2 ORDER BY seq`, assumes a run's rows are spread
  // evenly over the store and often walks the store-wide seq key, filtering out every other run's
  // rows (in a team store, millions). A row comparison on (run_id, seq) and an order by both columns
  // can only be served by the run's own index, and select exactly the run's rows.
  inRun: (runId, after, before) => sql`(run_id, seq) > (${runId}, ${after ?? SEQ_FLOOR}::bigint) AND (run_id, seq) < (${runId}, ${before ?? SEQ_CEILING}::bigint)`,
  runSeqOrder: (desc) => (desc ? 'run_id DESC, seq DESC' : 'run_id, seq'),
  fleet: {
    payload: 'payload',
    day: `to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
    isText: (f) => `jsonb_typeof(p -> '${f}') = 'string'`,
    isNumber: (f) => `jsonb_typeof(p -> '${f}') = 'number'`,
    text: (f) => `(p ->> '${f}')`,
    falsy: (f) => `COALESCE(p -> '${f}' IN ('0'::jsonb, 'false'::jsonb, 'null'::jsonb, '""'::jsonb), true)`,
    costSum: (e) => `sum((${e})::numeric)::text`,
    decimal: (f) => `(jsonb_typeof(p -> '${f}') = 'number' OR (jsonb_typeof(p -> '${f}') = 'string' AND (p ->> '${f}') ~ '${DECIMAL_TEXT}'))`,
    countIf: (c) => `count(*) FILTER (WHERE ${c})::int`,
  },
};

/** The text and parameters a driver runs. */
export function render(q: Sql, d: Dialect): { text: string; values: unknown[] } {
  let text = q.parts[0]!;
  for (let i = 1; i < q.parts.length; i++) text += d.placeholder(i) + q.parts[i]!;
  return { text, values: [...q.values] };
}
