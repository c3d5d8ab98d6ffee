/**
 * Exact sums of the decimal strings Active Graph records for costs (`cost_usd: "0.0021"`), the way
 * Python's Decimal adds them: no binary rounding, and the sum keeps the most fraction digits of any
 * term ("0.0009" + "0.0021" + … = "0.0090", as a budget snapshot's `cost_used_usd` reads).
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class DecimalSum {
  private units = 0n;
  private scale = 0;

  /** Adds a decimal string (or a number, as a foreign writer may store); returns false for anything else. */
  add(value: unknown): boolean {
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== 'string') return false;
    const m = DECIMAL.exec(text.trim());
    if (!m || (m[2] === '' && !m[3])) return false;
    const frac = m[3] ?? '';
    const exp = Number(m[4] ?? 0) - frac.length;
    let units = BigInt((m[2] || '0') + frac);
    let scale = 0;
    if (exp >= 0) units *= 10n ** BigInt(exp);
    else scale = -exp;
    if (m[1] === '-') units = -units;
    if (scale > this.scale) {
      this.units *= 10n ** BigInt(scale - this.scale);
      this.scale = scale;
    } else units *= 10n ** BigInt(this.scale - scale);
    this.units += units;
    return true;
  }

  toString(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
    const int = digits.slice(0, digits.length - this.scale);
    const frac = digits.slice(digits.length - this.scale);
    return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
  }
}
