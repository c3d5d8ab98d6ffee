/**
 * Many runs side by side (op compareRuns): a run and its forks, one row each, with what each did
 * after its fork point and how its end differs from its parent's. A run opens in the timeline, a
 * fork point in its run, a fork beside its parent in the two-run compare; the matrix saves as CSV
 * or JSON.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { OpOutput } from '../../../../shared/contract';
import { call } from '../../api/transport';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { Dialog } from '../../ui/Dialog';
import { ErrorView } from '../../ui/ErrorView';
import { Pager } from '../../ui/Pager';
import { saveFile } from '../../ui/save-file';
import { duration, int } from '../../ui/format';
import { differencesCsv, matrixCsv } from './matrix-csv';
import { familyLeftOut } from '../runs/run-list-rows';

/** Every difference, asked page by page (each answer stays small), saved as CSV and JSON. */
async function saveDifferences(storeId: string, runIds: string[]): Promise<void> {
  try {
    const all: OpOutput<'runDifferences'>['entities'] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await call('runDifferences', { storeId, runIds, offset, limit: 200 });
      all.push(...page.entities);
      if (all.length >= page.total || page.entities.length === 0) break;
    }
    saveFile('run-differences.csv', [differencesCsv(all, runIds)], 'text/csv');
    saveFile('run-differences.json', [JSON.stringify({ runs: runIds, differences: all }, null, 2) + '\n'], 'application/json');
  } catch (err) {
    useApp.getState().showError(err);
  }
}

export function RunMatrix() {
  const { storeId, runIds, runs, setMatrix, selectRun, jumpTo, setCompare } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runIds: s.matrix, runs: s.runs, setMatrix: s.setMatrix, selectRun: s.selectRun, jumpTo: s.jumpTo, setCompare: s.setCompare })),
  );
  const leftOut = runIds ? familyLeftOut(runs, runIds) : 0;
  const { data: rows, error, loading } = useView('matrix', 'compareRuns', storeId && runIds && runIds.length >= 2 ? { storeId, runIds } : null, { quiet: true });
  const close = () => setMatrix(null);
  // Any two runs open in the two-run compare.
  const [picked, setPicked] = useState<string[]>([]);
  const pick = (runId: string) => setPicked((p) => (p.includes(runId) ? p.filter((x) => x !== runId) : [...p.slice(-1), runId]));
  const typesOf = (key: 'objects_by_type' | 'relations_by_type') => [...new Set((rows ?? []).flatMap((r) => Object.keys(r[key])))].sort();
  return (
    <Dialog label="Runs side by side" onClose={close} className="wide matrix-dialog">
      <h3>{runIds?.length ?? 0} runs side by side</h3>
      <p className="muted small">
        Costs, calls and executions count each fork&apos;s own part (after its fork point); the change against the parent compares the ends of the two runs, as Active Graph&apos;s
        diff does.
      </p>
      {leftOut > 0 && (
        <p className="notice" data-testid="family-left-out">
          {int(leftOut)} more of this family {leftOut === 1 ? 'is' : 'are'} not shown: at most 20 runs stand side by side. Pick the ones to compare with Compare runs…
        </p>
      )}
      {error && <ErrorView error={error} />}
      {loading && !rows && <p className="muted">Reading the runs…</p>}
      {rows && (
        <div className="matrix-wrap">
          <table className="matrix" data-testid="run-matrix">
            <thead>
              <tr>
                <th title="Pick two runs to compare them">pair</th>
                <th>run</th>
                <th>fork point</th>
                <th>events after it</th>
                <th>executions</th>
                <th>failures</th>
                <th>LLM calls</th>
                <th>tokens in/out</th>
                <th>cost $</th>
                <th>duration</th>
                <th>vs parent +/~/−</th>
                {typesOf('objects_by_type').map((t) => (
                  <th key={`o:${t}`}>{t}</th>
                ))}
                {typesOf('relations_by_type').map((t) => (
                  <th key={`r:${t}`} className="rel">
                    {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.run_id} data-run-id={r.run_id}>
                  <td>
                    <input type="checkbox" aria-label={`pick ${r.label ?? r.run_id}`} checked={picked.includes(r.run_id)} onChange={() => pick(r.run_id)} />
                  </td>
                  <td>
                    <button className="link" onClick={() => (selectRun(r.run_id), close())} title={r.run_id}>
                      {r.label ?? r.run_id.slice(0, 12) + '…'}
                    </button>
                  </td>
                  <td>
                    {r.forked_at_event_id && (
                      <button className="link" onClick={() => (close(), void jumpTo({ eventId: r.forked_at_event_id! }, r.run_id))}>
                        {r.forked_at_event_id}
                      </button>
                    )}
                  </td>
                  <td className="num">{r.events_after_fork === null ? '' : int(r.events_after_fork)}</td>
                  <td className="num">{int(r.executions)}</td>
                  <td className={`num${r.failures ? ' failed' : ''}`}>{int(r.failures)}</td>
                  <td className="num">{int(r.llm_calls)}</td>
                  <td className="num">
                    {int(r.tokens_in)}/{int(r.tokens_out)}
                  </td>
                  <td className="num">{r.cost_usd}</td>
                  <td className="num">{r.duration_ms === null ? '' : duration(r.duration_ms)}</td>
                  <td>
                    {r.vs_parent && storeId && (
                      <button
                        className="link"
                        title="Open beside its parent"
                        onClick={() => (close(), setCompare({ a: { storeId, runId: r.parent_run_id! }, b: { storeId, runId: r.run_id } }))}
                      >
                        +{r.vs_parent.created} ~{r.vs_parent.patched} −{r.vs_parent.removed}
                      </button>
                    )}
                  </td>
                  {typesOf('objects_by_type').map((t) => (
                    <td key={`o:${t}`} className="num">
                      {r.objects_by_type[t] ?? 0}
                    </td>
                  ))}
                  {typesOf('relations_by_type').map((t) => (
                    <td key={`r:${t}`} className="num rel">
                      {r.relations_by_type[t] ?? 0}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows && storeId && runIds && <WhatDiffers storeId={storeId} runIds={runIds} names={rows.map((r) => r.label ?? r.run_id.slice(0, 12) + '…')} />}
      {rows && storeId && runIds && (
        <AlignedSteps
          storeId={storeId}
          runIds={runIds}
          names={rows.map((r) => r.label ?? r.run_id.slice(0, 12) + '…')}
          onOpen={(runId, eventId) => (close(), void jumpTo({ eventId }, runId))}
        />
      )}
      <div className="buttons">
        <button disabled={!rows} onClick={() => rows && saveFile('runs.csv', [matrixCsv(rows)], 'text/csv')}>
          Save CSV
        </button>
        <button disabled={!rows} onClick={() => rows && saveFile('runs.json', [JSON.stringify(rows, null, 2) + '\n'], 'application/json')}>
          Save JSON
        </button>
        <button disabled={!rows || !storeId || !runIds} onClick={() => storeId && runIds && void saveDifferences(storeId, runIds)}>
          Save the differences (CSV, JSON)
        </button>
        <button
          disabled={picked.length !== 2 || !storeId}
          title="Open the two picked runs in the two-run compare"
          onClick={() => storeId && (close(), setCompare({ a: { storeId, runId: picked[0]! }, b: { storeId, runId: picked[1]! } }))}
        >
          Compare the two picked
        </button>
        <button onClick={close}>Close</button>
      </div>
    </Dialog>
  );
}

const DIFF_PAGE = 25;

/** A state's value of a field, as the list shows it. */
function fieldValue(state: Record<string, unknown> | null, field: string): string {
  if (!state) return 'absent';
  const v = field.startsWith('data.') ? (state.data as Record<string, unknown> | undefined)?.[field.slice(5)] : state[field];
  return v === undefined ? '—' : JSON.stringify(v);
}

/** Every object and relation whose end is not the same in all the runs, most connected first, the runs grouped by outcome. */
function WhatDiffers({ storeId, runIds, names }: { storeId: string; runIds: string[]; names: string[] }) {
  const [offset, setOffset] = useState(0);
  const { data, error } = useView('matrix.differences', 'runDifferences', { storeId, runIds, offset, limit: DIFF_PAGE }, { quiet: true, keep: true });
  if (error) return <ErrorView error={error} />;
  if (!data) return <p className="muted small">Comparing their ends…</p>;
  return (
    <section className="what-differs" data-testid="what-differs">
      <h4>
        What differs at the end: {int(data.total)} object{data.total === 1 ? '' : 's'} and relations{' '}
        <Pager offset={offset} size={DIFF_PAGE} total={data.total} onChange={setOffset} what="differences" />
      </h4>
      <ul>
        {data.entities.map((e) => (
          <li key={`${e.kind}:${e.id}`} data-entity={e.id}>
            <code>{e.id}</code> <span className="muted small">{e.kind}</span>
            <ul className="outcomes">
              {e.groups.map((g, k) => (
                <li key={k}>
                  <b>
                    {g.runs.length} run{g.runs.length === 1 ? '' : 's'}
                  </b>{' '}
                  <span className="muted small">({g.runs.map((i) => names[i]).join(', ')})</span>:{' '}
                  {g.state === null ? (
                    <i>without it</i>
                  ) : e.changed.length === 0 ? (
                    <i>with it (the same wherever it is)</i>
                  ) : (
                    e.changed.map((f) => (
                      <span key={f} className="changed-field">
                        {f} = {fieldValue(g.state, f)}{' '}
                      </span>
                    ))
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

const STEP_PAGE = 40;
const STEP_MARK = { ok: '✓', failed: '✗', open: '…' } as const;

/** What each run did after its fork point, a row per behavior and execution, the runs side by side. */
function AlignedSteps({ storeId, runIds, names, onOpen }: { storeId: string; runIds: string[]; names: string[]; onOpen: (runId: string, eventId: string) => void }) {
  const [offset, setOffset] = useState(0);
  const { data, error } = useView('matrix.steps', 'alignedSteps', { storeId, runIds, offset, limit: STEP_PAGE }, { quiet: true, keep: true });
  if (error) return <ErrorView error={error} />;
  if (!data) return <p className="muted small">Reading what each did after its fork point…</p>;
  return (
    <section className="aligned-steps" data-testid="aligned-steps">
      <h4>
        What each did after its fork point: {int(data.total)} steps by behavior <Pager offset={offset} size={STEP_PAGE} total={data.total} onChange={setOffset} what="steps" />
      </h4>
      <div className="matrix-wrap">
        <table className="matrix steps">
          <thead>
            <tr>
              <th>behavior</th>
              {names.map((n, i) => (
                <th key={runIds[i]}>{n}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={`${row.behavior}#${row.nth}`}>
                <td>
                  {row.behavior} <span className="muted small">#{row.nth}</span>
                </td>
                {row.steps.map((st, i) => (
                  <td key={runIds[i]} className={st ? `step ${st.status}` : 'step none'}>
                    {st ? (
                      <button className="link" title={`${st.event_id}: ${st.requests} request(s), ${st.failed_requests} failed`} onClick={() => onOpen(runIds[i]!, st.event_id)}>
                        {STEP_MARK[st.status]} {st.duration_ms === null ? '' : duration(st.duration_ms)}
                        {st.requests ? ` · ${st.requests} req` : ''}
                      </button>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
