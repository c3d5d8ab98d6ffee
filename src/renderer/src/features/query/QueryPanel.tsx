/**
 * Ask the graph as of the selected event (engine/graph-query): a pattern, a `where`, an optional
 * `as of`. The answer is a table of bindings, paged and counted; each object opens in the graph
 * panel (with its history), and the objects of the page are highlighted there. Queries can be saved
 * per store, in this app's own settings (never in the store), and are listed in the palette.
 */
import { Fragment, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { ErrorView } from '../../ui/ErrorView';
import { ObjectHistory } from '../../ui/ObjectHistory';
import { Pager } from '../../ui/Pager';
import { TypeChip } from '../../ui/TypeChip';
import { forgetQuery, saveQuery, useSavedQueries } from './saved-queries';

const PAGE = 50;
const EXAMPLES = ['(c:claim)-[:supported_by]->(s:source)', "(o) where o.type in ['plan', 'question'] and o.version > 1", 'neighborhood(plan#1, 2)'];

export function QueryPanel() {
  const { storeId, runId, selected, graphQuery, runGraphQuery, goToObject, setQueryMatches, linkUrl } = useApp(
    useShallow((s) => ({
      storeId: s.storeId,
      runId: s.runId,
      selected: s.selected,
      graphQuery: s.graphQuery,
      runGraphQuery: s.runGraphQuery,
      goToObject: s.goToObject,
      setQueryMatches: s.setQueryMatches,
      linkUrl: s.stores.find((x) => x.storeId === s.storeId)?.linkUrl ?? null,
    })),
  );
  const [draft, setDraft] = useState(graphQuery);
  useEffect(() => setDraft(graphQuery), [graphQuery]);
  const [offset, setOffset] = useState(0);
  /** The object whose history shows under its row, if any (`row:id`). */
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  useEffect(() => setOffset(0), [graphQuery, runId, selected?.seq]);
  const saved = useSavedQueries(linkUrl);

  const answer = useView('query', 'graphQuery', storeId && runId && graphQuery ? { storeId, runId, query: graphQuery, asOfSeq: selected?.seq, offset, limit: PAGE } : null, {
    quiet: true,
    keep: true,
  });
  const result = answer.data;
  useEffect(() => {
    const ids = result ? [...new Set(result.rows.flatMap((row) => row.filter((_, i) => result.columns[i]?.kind === 'object').map((c) => c.id)))] : [];
    setQueryMatches(ids);
  }, [result, setQueryMatches]);

  return (
    <div className="query-panel" data-testid="query-panel">
      <form
        className="query-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) runGraphQuery(draft.trim());
        }}
      >
        <textarea
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              if (draft.trim()) runGraphQuery(draft.trim());
            }
          }}
          rows={2}
          spellCheck={false}
          placeholder="(c:claim)<-[:supports]-(s:source) where c.data.confidence < 0.5"
          aria-label="graph query"
        />
        <div className="buttons">
          <button className="primary" type="submit" disabled={!draft.trim()}>
            Run
          </button>
          {linkUrl && graphQuery && !saved.includes(graphQuery) && (
            <button type="button" onClick={() => saveQuery(linkUrl, graphQuery)}>
              Save
            </button>
          )}
          {linkUrl && saved.includes(graphQuery) && (
            <button type="button" onClick={() => forgetQuery(linkUrl, graphQuery)}>
              Forget
            </button>
          )}
          <span className="muted small">as of {selected ? selected.id : 'the end of the run'}, unless the query says “as of”</span>
        </div>
      </form>
      {answer.error && <ErrorView error={answer.error} />}
      {!graphQuery && (
        <div className="muted small query-help">
          <p>Ask the graph as it was at the selected event. For example:</p>
          <ul>
            {EXAMPLES.map((q) => (
              <li key={q}>
                <button className="link" onClick={() => runGraphQuery(q)}>
                  <code>{q}</code>
                </button>
              </li>
            ))}
          </ul>
          <p>
            Patterns: (var:type), (var:a|b), -[var:type]-&gt;, &lt;-[var:type]-, --&gt;, neighborhood(id, depth). Conditions: = != &lt; &lt;= &gt; &gt;=, in [...], exists,
            contains, starts with, and/or/not.
          </p>
        </div>
      )}
      {saved.length > 0 && (
        <details className="saved-queries">
          <summary className="small">saved queries of this store ({saved.length})</summary>
          {saved.map((q) => (
            <button key={q} className="link small" onClick={() => runGraphQuery(q)}>
              <code>{q}</code>
            </button>
          ))}
        </details>
      )}
      {result && graphQuery && (
        <>
          <div className="query-meta muted small" data-testid="query-meta">
            {result.complete ? result.total : `more than ${result.total - 1}`} binding{result.total === 1 ? '' : 's'}
            {answer.loading && ' · asking…'}
            {result.total > PAGE && ' · '}
            <Pager offset={offset} size={PAGE} total={result.total} onChange={setOffset} what="bindings" />
          </div>
          <div className="query-table-wrap">
            <table className="query-results" data-testid="query-results">
              <thead>
                <tr>
                  {result.columns.map((c) => (
                    <th key={c.name}>{c.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.rows.map((row, r) => {
                  const open = row.find((cell, i) => result.columns[i]!.kind === 'object' && historyOf === `${r}:${cell.id}`);
                  return (
                    <Fragment key={r}>
                      <tr>
                        {row.map((cell, i) =>
                          result.columns[i]!.kind === 'object' ? (
                            <td key={i}>
                              <button className="link" onClick={() => goToObject(cell.id)} title={cell.label ? `${cell.label} (in the graph panel)` : 'in the graph panel'}>
                                {cell.id}
                              </button>{' '}
                              <TypeChip type={cell.type} />{' '}
                              <button
                                className="link small"
                                aria-expanded={historyOf === `${r}:${cell.id}`}
                                aria-label={`history of ${cell.id}`}
                                onClick={() => setHistoryOf(historyOf === `${r}:${cell.id}` ? null : `${r}:${cell.id}`)}
                              >
                                history
                              </button>
                            </td>
                          ) : (
                            <td key={i} className="muted small" title={cell.label ?? undefined}>
                              {cell.type}
                            </td>
                          ),
                        )}
                      </tr>
                      {open && (
                        <tr>
                          <td colSpan={row.length}>
                            <ObjectHistory slot="query.history" objectId={open.id} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
