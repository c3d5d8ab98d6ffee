import { describe, expect, it } from 'vitest';
import { alignEvents } from '../../src/renderer/src/features/compare/align.js';
import { compactNumber, familiesOf, familyHue, shortRunId, shortTime } from '../../src/renderer/src/ui/format.js';

describe('formatting helpers', () => {
  it('shortens times, numbers and run ids', () => {
    expect(shortTime('2026-09-01T09:00:03Z')).toBe('09:00:03');
    expect(shortTime('2026-09-01T09:00:03.250+00:00')).toBe('09:00:03.250');
    expect(compactNumber(97)).toBe('97');
    expect(compactNumber(45_000)).toBe('45k');
    expect(compactNumber(1_000_059)).toBe('1.0M');
    expect(shortRunId('01M80AKK5NHK5TFTHJF3PFZ2VQ')).toBe('01M80A…Z2VQ');
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
