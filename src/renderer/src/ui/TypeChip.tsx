import { FAILURE_HUE, familyHue } from './format';

/** An event type as a chip in its family's colour; a failure is red whatever its family. */
export function TypeChip({ type, failed = false }: { type: string; failed?: boolean }) {
  const hue = failed ? FAILURE_HUE : familyHue(type);
  return (
    <span className={failed ? 'chip failed' : 'chip'} style={{ ['--hue' as string]: hue }} title={type}>
      {type}
    </span>
  );
}
