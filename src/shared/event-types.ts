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

/** The type suffix of events that report a failure (`behavior.failed`, `tool.failed`, …): shown in red. */
const FAILURE_SUFFIX = '.failed';

export function isFailureType(type: string): boolean {
  return type.endsWith(FAILURE_SUFFIX);
}
