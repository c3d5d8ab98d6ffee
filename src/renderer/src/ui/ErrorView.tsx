/** An engine error as the user should see it: what failed, why, how to fix. Never a blank screen. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/transport';

/** `remedy`: the app's own way out (shown before any CLI command in the text). */
export function ErrorView({ error, onClose, remedy }: { error: ApiError; onClose?: () => void; remedy?: ReactNode }) {
  return (
    <div className="error-view" role="alert" data-testid="error">
      <header>
        {/* A path that names no file is "file not found" to a user, whatever the CLI-compatible class says. */}
        <strong>{error.context?.reason === 'missing_file' ? 'File not found' : error.className}</strong>: {error.summary}
        {onClose && (
          <button className="close" onClick={onClose} aria-label="dismiss">
            ×
          </button>
        )}
      </header>
      {remedy && <div className="remedy-actions">{remedy}</div>}
      {error.whatFailed && (
        <section>
          <h5>What failed</h5>
          <pre>{error.whatFailed}</pre>
        </section>
      )}
      {error.why && (
        <section>
          <h5>Why</h5>
          <p>{error.why}</p>
        </section>
      )}
      {error.howToFix && (
        <section>
          <h5>How to fix</h5>
          <pre>{error.howToFix}</pre>
        </section>
      )}
      {error.docUrl && <p className="muted">More: {error.docUrl}</p>}
    </div>
  );
}
