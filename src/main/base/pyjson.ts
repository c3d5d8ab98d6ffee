/**
 * JSON as Python's `json` module reads and writes it.
 *
 * Active Graph stores payloads as Python-default JSON, so reproducing its CLI byte for byte needs
 * three things `JSON.parse`/`JSON.stringify` lose: the NaN/Infinity tokens, the int/float
 * distinction (`0.0` must print as `0.0`), and Python's error messages and positions.
 */

/** A float whose value is integral (`12.0`, `1e2`); plain JS numbers would print it as an int. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export type PyJson = null | boolean | number | bigint | string | PyFloat | PyJson[] | { [key: string]: PyJson };

export class PyJsonDecodeError extends Error {
  constructor(
    readonly msg: string,
    readonly doc: string,
    readonly pos: number,
  ) {
    const lineno = doc.slice(0, pos).split('\n').length;
    const colno = pos - doc.lastIndexOf('\n', pos - 1);
    super(`${msg}: line ${lineno} column ${colno} (char ${pos})`);
    this.lineno = lineno;
    this.colno = colno;
  }
  readonly lineno: number;
  readonly colno: number;
}

const WS = new Set([' ', '\t', '\n', '\r']);

/**
 * Deepest nesting a payload may have. Python's `json.loads` gives up near its recursion limit
 * (1000) with RecursionError; every recursive walk here (hashing, projection, IPC, the JSON tree)
 * is safe well beyond this, so deeper payloads are refused as undecodable instead of overflowing.
 */
export const MAX_JSON_DEPTH = 1000;

/** Whether `doc` nests arrays/objects deeper than `max` (strings are skipped, escapes honoured). */
export function nestsDeeperThan(doc: string, max: number): boolean {
  if (doc.length <= 2 * max) return false; // too short to hold max+1 open/close pairs
  let depth = 0;
  for (let i = 0; i < doc.length; i++) {
    const c = doc.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < doc.length; i++) {
        const d = doc.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
const NUMBER_RE = /(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?/y;

/** Parses like Python's `json.loads` (strict mode), keeping float-ness and big integers. */
export function pyParse(doc: string): PyJson {
  let i = 0;
  let depth = 0;
  const enter = (): void => {
    if (++depth > MAX_JSON_DEPTH) throw new PyJsonDecodeError(`Nested deeper than ${MAX_JSON_DEPTH} levels (Python's json gives up with RecursionError) at`, doc, i);
  };
  const skip = (): void => {
    while (i < doc.length && WS.has(doc[i]!)) i++;
  };

  const parseString = (start: number): string => {
    // `start` is the index of the opening quote.
    let out = '';
    let j = start + 1;
    for (;;) {
      let k = j;
      while (k < doc.length) {
        const c = doc.charCodeAt(k);
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        k++;
      }
      out += doc.slice(j, k);
      if (k >= doc.length) throw new PyJsonDecodeError('Unterminated string starting at', doc, start);
      const c = doc[k]!;
      if (c === '"') {
        i = k + 1;
        return out;
      }
      if (c !== '\\') throw new PyJsonDecodeError('Invalid control character at', doc, k);
      const esc = doc[k + 1];
      if (esc === undefined) throw new PyJsonDecodeError('Unterminated string starting at', doc, start);
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc in simple) {
        out += simple[esc];
        j = k + 2;
        continue;
      }
      if (esc !== 'u') throw new PyJsonDecodeError('Invalid \\escape', doc, k);
      const hex = doc.slice(k + 2, k + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PyJsonDecodeError('Invalid \\uXXXX escape', doc, k + 1);
      out += String.fromCharCode(parseInt(hex, 16));
      j = k + 6;
    }
  };

  const parseValue = (): PyJson => {
    const c = doc[i];
    if (c === '"') return parseString(i);
    if (c === '{') return parseObject();
    if (c === '[') return parseArray();
    if (c === 'n' && doc.startsWith('null', i)) return ((i += 4), null);
    if (c === 't' && doc.startsWith('true', i)) return ((i += 4), true);
    if (c === 'f' && doc.startsWith('false', i)) return ((i += 5), false);
    if (c === 'N' && doc.startsWith('NaN', i)) return ((i += 3), new PyFloat(NaN));
    if (c === 'I' && doc.startsWith('Infinity', i)) return ((i += 8), new PyFloat(Infinity));
    if (c === '-' && doc.startsWith('-Infinity', i)) return ((i += 9), new PyFloat(-Infinity));
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(doc);
    if (m) {
      i += m[0].length;
      if (m[2] === undefined && m[3] === undefined) {
        const n = Number(m[1]);
        return Number.isSafeInteger(n) ? n : BigInt(m[1]!);
      }
      const f = Number(m[0]);
      return Number.isInteger(f) || !Number.isFinite(f) ? new PyFloat(f) : f;
    }
    throw new PyJsonDecodeError('Expecting value', doc, i);
  };

  const parseObject = (): PyJson => {
    const obj: { [key: string]: PyJson } = {};
    const keys: string[] = [];
    let reordered = false;
    const done = (): PyJson => {
      i++;
      depth--;
      if (reordered) Object.defineProperty(obj, KEY_ORDER, { value: keys, enumerable: false });
      return obj;
    };
    enter();
    i++;
    skip();
    if (doc[i] === '}') return done();
    for (;;) {
      if (doc[i] !== '"') throw new PyJsonDecodeError('Expecting property name enclosed in double quotes', doc, i);
      const key = parseString(i);
      skip();
      if (doc[i] !== ':') throw new PyJsonDecodeError("Expecting ':' delimiter", doc, i);
      i++;
      skip();
      if (!Object.prototype.hasOwnProperty.call(obj, key)) {
        keys.push(key);
        if (INTEGER_LIKE.test(key) && key.length < 11) reordered = true;
      }
      defineKey(obj, key, parseValue());
      skip();
      if (doc[i] === '}') return done();
      if (doc[i] !== ',') throw new PyJsonDecodeError("Expecting ',' delimiter", doc, i);
      i++;
      skip();
    }
  };

  const parseArray = (): PyJson => {
    const arr: PyJson[] = [];
    enter();
    i++;
    skip();
    if (doc[i] === ']') return (i++, depth--, arr);
    for (;;) {
      arr.push(parseValue());
      skip();
      if (doc[i] === ']') return (i++, depth--, arr);
      if (doc[i] !== ',') throw new PyJsonDecodeError("Expecting ',' delimiter", doc, i);
      i++;
      skip();
    }
  };

  skip();
  const value = parseValue();
  skip();
  if (i !== doc.length) throw new PyJsonDecodeError('Extra data', doc, i);
  return value;
}

/**
 * A JavaScript object enumerates integer-like keys ("9", "10") first, in numeric order; a Python
 * dict keeps the order it was given (and Postgres' JSONB its own). An object parsed here with such
 * a key carries its keys' real order under this symbol (not enumerable, never serialized), and
 * pyDumps and pyStr follow it, so outputs list keys exactly as Active Graph does.
 */
export const KEY_ORDER = Symbol('pyKeyOrder');
const INTEGER_LIKE = /^(0|[1-9]\d*)$/;

/** An object's keys in the order Python sees them. */
export function pyKeys(obj: object): string[] {
  return (obj as { [KEY_ORDER]?: string[] })[KEY_ORDER] ?? Object.keys(obj);
}

/** Keys like `__proto__` must become own data properties, as they are in a Python dict. */
function defineKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Fast decode for projection and comparison, where int/float identity does not matter:
 * native `JSON.parse`, falling back to the Python-compatible parser for NaN/Infinity and for
 * Python-shaped error positions.
 */
export function pyLoadsFast(doc: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(doc);
  } catch {
    return toPlain(pyParse(doc));
  }
  if (nestsDeeperThan(doc, MAX_JSON_DEPTH)) pyParse(doc); // throws the depth error at its position
  return value;
}

/** Python's `repr` of a decoded JSON value (dicts in their own key order). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return pyStrRepr(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (Array.isArray(v)) return '[' + v.map(pyRepr).join(', ') + ']';
  return (
    '{' +
    pyKeys(v as object)
      .map((k) => `${pyStrRepr(k)}: ${pyRepr((v as Record<string, unknown>)[k])}`)
      .join(', ') +
    '}'
  );
}

/** Python's `str` of a decoded JSON value: a string as itself, anything else as its repr. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/**
 * What Python's repr escapes: backslash, the three named controls, and every character
 * `str.isprintable()` rejects (categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs, except the ASCII space).
 */
const REPR_ESCAPED = /[\\\n\r\t]|(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/gu;

function reprEscape(c: string): string {
  if (c === '\\') return '\\\\';
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const cp = c.codePointAt(0)!;
  const hex = cp.toString(16);
  return cp < 0x100 ? `\\x${hex.padStart(2, '0')}` : cp < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
}

/** Python's repr of a str: single quotes unless the text holds one and no double quote. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(REPR_ESCAPED, reprEscape);
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** Converts parsed Python JSON into plain JS values (what the renderer and IPC carry). */
export function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) defineKey(out, k, toPlain(x));
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface PyDumpOptions {
  ensureAscii?: boolean; // Python default: true
  sortKeys?: boolean;
  indent?: number;
  /** `(',', ':')` instead of Python's default `(', ', ': ')`. */
  compact?: boolean;
}

/** Python's float repr: shortest round-trip digits, scientific below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const exp = Number(expStr);
  const decpt = exp + 1;
  let body: string;
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    body = `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (decpt <= 0) {
    body = `0.${'0'.repeat(-decpt)}${digits}`;
  } else if (decpt >= digits.length) {
    body = `${digits}${'0'.repeat(decpt - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  return neg ? `-${body}` : body;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

const NEEDS_ESCAPE_ASCII = /[\\"]|[^ -~]/;
const NEEDS_ESCAPE_RAW = /[\x00-\x1f\\"]/;

export function pyStringRepr(s: string, ensureAscii = true): string {
  if (!(ensureAscii ? NEEDS_ESCAPE_ASCII : NEEDS_ESCAPE_RAW).test(s)) return '"' + s + '"';
  const re = ensureAscii ? /[\\"]|[^ -~]/g : /[\x00-\x1f\\"]/g;
  return '"' + s.replace(re, (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) + '"';
}

/** Code-point order, as Python sorts strings (not UTF-16 unit order). */
export function pyCompareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // The two orders differ only between a surrogate (a code point past U+FFFF) and a unit above the surrogates.
    if (x >= 0xd800 && y >= 0xd800 && x <= 0xdfff !== y <= 0xdfff) return x <= 0xdfff ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Serialises like Python's `json.dumps` with the given options. */
export function pyDumps(value: unknown, opts: PyDumpOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const itemSep = opts.indent !== undefined ? ',' : opts.compact ? ',' : ', ';
  const keySep = opts.compact ? ':' : ': ';
  const write = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return pyStringRepr(v, ensureAscii);
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    const nl = opts.indent !== undefined ? '\n' + ' '.repeat(opts.indent * (level + 1)) : '';
    const close = opts.indent !== undefined ? '\n' + ' '.repeat(opts.indent * level) : '';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return '[' + nl + v.map((x) => write(x, level + 1)).join(itemSep + nl) + close + ']';
    }
    const entries = pyKeys(v as object).map((k): [string, unknown] => [k, (v as Record<string, unknown>)[k]]);
    if (entries.length === 0) return '{}';
    if (opts.sortKeys) entries.sort((a, b) => pyCompareStrings(a[0], b[0]));
    return '{' + nl + entries.map(([k, x]) => pyStringRepr(k, ensureAscii) + keySep + write(x, level + 1)).join(itemSep + nl) + close + '}';
  };
  return write(value, 0);
}

const JSONB_TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/**
 * Postgres' jsonb text as Python's `json.dumps(json.loads(text), ensure_ascii=False)` prints it.
 * jsonb already uses Python's separators and string escapes; only float forms differ (`0.00001`
 * for `1e-05`), so float tokens are re-printed with Python's repr and everything else is kept.
 */
export function pythonizeJsonbText(text: string): string {
  return text.replace(JSONB_TOKENS, (tok) => (tok.charCodeAt(0) === 0x22 || !/[.eE]/.test(tok) ? tok : pyFloatRepr(Number(tok))));
}

/** A JSON value as the number Python sees (bools are ints, floats and big ints by value); undefined when it is not one. */
export const pyNumber = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : v instanceof PyFloat ? v.value : typeof v === 'bigint' ? Number(v) : undefined;

/** Python `==` on JSON values: dict order ignored, `1 == 1.0 == True`, `0 == False`. */
export function pyEqual(a: unknown, b: unknown): boolean {
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, k) => pyEqual(x, b[k]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
