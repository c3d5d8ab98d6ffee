/** One run of the run list: its title and state, size, duration and failures, and a fork's actions when selected. */
import type { RunInfo } from '../../state/app-store';
import { compactNumber, duration } from '../../ui/format';
import { runDurationMs, type RunListRow } from './run-list-rows';

/** Colours for other runtimes' status words. */
function nativeClass(status: string): string {
  const s = status.toLowerCase();
  return /fail|abort|dirty|error/.test(s) ? 'exhausted' : /complet|succeed|closed|ended/.test(s) ? 'idle' : 'stopped';
}

const INDENT = 14;

export function RunRow(props: {
  row: RunListRow;
  active: boolean;
  /** Failed executions, once the store's failures were asked; else null. */
  failures: number | null;
  onSelect(): void;
  onToggle(): void;
  onCompareWithParent(): void;
  onPromote(): void;
  /** Shows the run and its forks side by side (for a run with forks). */
  onCompareForks(): void;
}) {
  const { row, active, failures } = props;
  const r: RunInfo = row.run;
  const ms = runDurationMs(r);
  return (
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? !row.collapsed : undefined}
      aria-selected={active}
      className={`run-row${row.context ? ' context' : ''}`}
    >
      <span className="twisty" style={{ marginLeft: row.depth * INDENT }}>
        {row.hasChildren && (
          <button className="link" tabIndex={-1} onClick={props.onToggle} aria-label={`${row.collapsed ? 'show' : 'hide'} the forks of ${r.run_id}`}>
            {row.collapsed ? '▸' : '▾'}
          </button>
        )}
      </span>
      <button className={`run${active ? ' active' : ''}`} onClick={props.onSelect} data-run-id={r.run_id} data-parent-run-id={r.parent_run_id ?? undefined} title={r.run_id}>
        <span className="run-line1">
          {row.inCycle && (
            <span className="cycle-mark" title={`The lineage loops: ${r.run_id}'s parent chain leads back to itself (${r.parent_run_id}). Shown at the top level.`}>
              ⟲
            </span>
          )}
          {r.forked_at_event_id && (
            <span className="fork-mark" aria-label="fork">
              ↳
            </span>
          )}
          <span className="run-goal">{r.label ? `${r.label}` : (r.goal ?? '(no goal)')}</span>
          <span className={`state state-${r.native_status ? nativeClass(r.native_status) : r.state}`}>{r.native_status ?? r.state}</span>
        </span>
        <span className="run-line2">
          <code>{r.run_id.slice(0, 10)}…</code> · {r.event_count === null ? '…' : compactNumber(r.event_count)} ev{r.archived_count ? ` (+${r.archived_count} archived)` : ''}
          {failures ? <span className="run-failures"> · {failures} failed</span> : null}
          {ms !== null && <> · {duration(ms)}</>}
          {r.forked_at_event_id && <> · at {r.forked_at_event_id}</>}
        </span>
        {r.label && r.goal && <span className="run-line2 muted">{r.goal}</span>}
        <span className="run-line2 muted">{r.created_at}</span>
      </button>
      {active && ((r.parent_run_id && r.forked_at_event_id) || row.hasChildren) && (
        <span className="run-actions" style={{ marginLeft: row.depth * INDENT }}>
          {r.parent_run_id && r.forked_at_event_id && (
            <>
              <button className="link small" onClick={props.onCompareWithParent}>
                compare with parent
              </button>
              <button className="link small" onClick={props.onPromote}>
                promote into parent…
              </button>
            </>
          )}
          {row.hasChildren && (
            <button className="link small" onClick={props.onCompareForks}>
              side by side with its forks
            </button>
          )}
        </span>
      )}
    </div>
  );
}
