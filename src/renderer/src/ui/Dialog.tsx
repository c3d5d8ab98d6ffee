/**
 * The one frame of every dialog: a backdrop, and the dialog named for assistive technology (and the
 * tests). A click on the backdrop closes it when `onClose` is given (a wizard at work gives none);
 * Escape and Tab are the global keys' (navigation/global-keys.ts).
 */
import type { ReactNode } from 'react';

export function Dialog({
  label,
  onClose,
  className,
  backdropClassName,
  children,
}: {
  label: string;
  onClose?: () => void;
  /** Extra classes of the dialog box (`wide`, `palette`). */
  className?: string;
  backdropClassName?: string;
  children: ReactNode;
}) {
  return (
    <div className={`modal-backdrop${backdropClassName ? ` ${backdropClassName}` : ''}`} onClick={onClose}>
      <div className={`modal${className ? ` ${className}` : ''}`} onClick={(e) => e.stopPropagation()} role="dialog" aria-label={label}>
        {children}
      </div>
    </div>
  );
}
