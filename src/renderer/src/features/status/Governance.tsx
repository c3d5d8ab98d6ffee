/**
 * The run's governance record: what its authority policies decided, how its ceilings changed and
 * which overrides developers made (Active Graph 1.8+), each a link to its event.
 */
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { TypeChip } from '../../ui/TypeChip';

type P = Record<string, unknown>;

/** What a governance event says, in a few words. */
function said(type: string, p: P): string {
  const v = (k: string) => (p[k] === null || p[k] === undefined ? '' : String(p[k]));
  if (type === 'authority.decision')
    return `${v('decision')} ${v('capability')} (${v('action_class')}), ceiling ${v('effective_ceiling')}${p.matched_policy ? `, policy ${v('matched_policy')}` : ''}`;
  if (type === 'authority.ceiling_changed') return `ceiling ${v('previous_ceiling')} → ${v('ceiling')}`;
  if (type === 'dev.override') return `${v('target_gate')} (${v('scope')}) → ${v('resulting_authority')}`;
  return '';
}

export function Governance({ storeId, runId }: { storeId: string; runId: string }) {
  const jumpTo = useApp((s) => s.jumpTo);
  const { data } = useView('governance', 'governance', { storeId, runId }, { live: true, quiet: true });
  if (!data || data.total === 0) return null;
  return (
    <section className="governance" data-testid="governance">
      <h4>Governance: policy decisions and overrides ({data.total})</h4>
      <div className="table-scroll">
        <table>
          <tbody>
            {data.rows.map((r) => {
              const p = (r.payload ?? {}) as P;
              return (
                <tr key={r.id} className={p.decision === 'deny' || p.decision === 'denied' ? 'warn' : ''}>
                  <td>
                    <button className="link" onClick={() => void jumpTo({ eventId: r.id })}>
                      {r.id}
                    </button>
                  </td>
                  <td>
                    <TypeChip type={r.type} />
                  </td>
                  <td>{said(r.type, p)}</td>
                  <td className="muted">
                    {String(p.actor ?? r.actor ?? '')}
                    {p.reason ? ` — ${String(p.reason)}` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {data.total > data.rows.length && <p className="muted small">The first {data.rows.length}; filter the timeline by authority. and dev. for all of them.</p>}
    </section>
  );
}
