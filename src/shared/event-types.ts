/** Event type families: colour chips and family filters in the UI. */

export const TYPE_FAMILIES = [
  'object',
  'relation',
  'patch',
  'behavior',
  'relation_behavior',
  'llm',
  'tool',
  'embedding',
  'runtime',
  'goal',
  'pack',
  'approval',
  'promote',
  'context',
  'pattern',
  'authority',
  'dev',
] as const;

export function typeFamily(type: string): string {
  const head = type.split('.')[0] ?? type;
  return (TYPE_FAMILIES as readonly string[]).includes(head) ? head : 'custom';
}

/** Whether an event reports a failure (`behavior.failed`, `tool.failed`, …): shown in red. */
export function isFailureType(type: string): boolean {
  return type.endsWith('.failed');
}
