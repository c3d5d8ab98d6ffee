import { describe, expect, it } from 'vitest';
import { alignEvents } from '../../src/renderer/src/features/compare/align.js';
import { bytes, compactNumber, duration, familiesOf, familyHue, fullTime, int, relativeTime, share, shortRunId, shortTime } from '../../src/renderer/src/ui/format.js';

describe('formatting helpers', () => {
  it('shortens times, numbers and run ids', () => {
    expect(shortTime('2026-09-01T09:00:03Z')).toBe('09:00:03');
    expect(shortTime('2026-09-01T09:00:03.250+00:00')).toBe('09:00:03.250');
    expect(compactNumber(97)).toBe('97');
    expect(compactNumber(45_000)).toBe('45k');
    expect(compactNumber(1_000_059)).toBe('1.0M');
    expect(shortRunId('01M80AKK5NHK5TFTHJF3PFZ2VQ')).toBe('01M80A…Z2VQ');
  });

  it('says durations, relative times, integers and shares the way people read them', () => {
    expect(int(1_000_042)).toBe('1,000,042');
    expect([duration(null), duration(850), duration(4_240), duration(42_000), duration(185_000), duration(7_620_000)]).toEqual([
      '—',
      '850 ms',
      '4.2 s',
      '42 s',
      '3 min 05 s',
      '2 h 07 min',
    ]);
    const t0 = '2026-09-01T09:00:00Z';
    expect(relativeTime('2026-09-01T09:00:04Z', t0)).toBe('+0:04');
    expect(relativeTime('2026-09-01T10:02:07.250Z', t0)).toBe('+1:02:07.250');
    expect(relativeTime('2026-09-01T08:59:58Z', t0)).toBe('−0:02');
    expect(relativeTime('not a time', t0)).toBe('');
    expect(fullTime(t0)).toContain('2026-09-01T09:00:00Z (stored)');
    expect(fullTime(t0)).toMatch(/2026/);
    expect([share(0, 10), share(1, 400), share(4, 100), share(10, 10)]).toEqual(['0%', '<1%', '4%', '100%']);
  });

  it('says file sizes in powers of 1024', () => {
    expect([0, 512, 1024, 4096 * 1024 + 300 * 1024, 3 * 1024 ** 3].map(bytes)).toEqual(['0 B', '512 B', '1.0 KB', '4.3 MB', '3.0 GB']);
  });

  it('colours event types by family', () => {
    expect(familyHue('llm.requested')).toBe(familyHue('llm.responded'));
    expect(familyHue('llm.requested')).not.toBe(familyHue('tool.requested'));
    // Other runtimes' families get a hue from their name, stable, and never failure red.
    expect(familyHue('node.invoke')).toBe(familyHue('node.respond'));
    expect(familyHue('node.invoke')).not.toBe(familyHue('topic.publish'));
    for (const t of ['node.x', 'topic.x', 'workflow.x', 'assistant.x', 'claim.x', 'run.x', 'step.x']) {
      expect(familyHue(t)).toBeGreaterThanOrEqual(30);
      expect(familyHue(t)).toBeLessThan(330);
    }
  });

  it('lists the families of a store’s types: Active Graph’s in their order, then the others', () => {
    expect(familiesOf(['tool.invoke', 'node.respond', 'llm.requested', 'object.created', 'node.invoke', 'assistant.failed'])).toEqual([
      'object',
      'llm',
      'tool',
      'assistant',
      'node',
    ]);
    expect(familiesOf([])).toEqual([]);
  });
});

describe('alignEvents', () => {
  const e = (type: string, summary = '') => ({ type, summary });
  it('lines up matching events and leaves one-sided events alone', () => {
    const a = [e('goal.created', 'x'), e('object.created', 'a'), e('object.created', 'b'), e('runtime.idle')];
    const b = [e('goal.created', 'x'), e('object.created', 'b'), e('object.created', 'c'), e('runtime.idle')];
    const pairs = alignEvents(a, b).map((p) => [p.a?.summary ?? null, p.b?.summary ?? null, p.match]);
    expect(pairs).toEqual([
      ['x', 'x', true],
      ['a', null, false],
      ['b', 'b', true],
      [null, 'c', false],
      ['', '', true],
    ]);
  });
});
