/** The selected event: fields, cause and consequences as links, and a payload view by type. */
import { isFailureType } from '../../../../shared/event-types';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { useView } from '../../state/use-view';
import { CopyButton, JsonTree } from '../../ui/JsonTree';
import { TypeChip } from '../../ui/TypeChip';
import { FieldDiff, patchChanges } from '../../ui/FieldDiff';

type P = Record<string, any>;

function EventLink({ e }: { e: { id: string; type: string; seq: number; archivedOffset?: number } }) {
  const { jumpTo, showArchivedEvent } = useApp(useShallow((s) => ({ jumpTo: s.jumpTo, showArchivedEvent: s.showArchivedEvent })));
  const archived = e.archivedOffset !== undefined;
  return (
    <button
      className="link event-link"
      onClick={() => (archived ? showArchivedEvent({ id: e.id, seq: e.seq, offset: e.archivedOffset! }) : void jumpTo({ eventId: e.id }))}
      data-event-link={e.id}
      title={archived ? 'archived by a compaction: shown in the archive tier' : undefined}
    >
      {e.id} <TypeChip type={e.type} />
      {archived && <span className="flag archived">archived</span>}
    </button>
  );
}

function PatchDiff({ p }: { p: P }) {
  const changes = patchChanges(p.diff);
  return (
    <section>
      <h4>
        Patch on <code>{String(p.target)}</code> ({String(p.patch?.op ?? '')})
      </h4>
      {changes.length === 0 ? <p className="muted">no field changed</p> : <FieldDiff changes={changes} labels={['old', 'new']} />}
      {p.patch?.rationale && <p className="muted">rationale: {String(p.patch.rationale)}</p>}
    </section>
  );
}

function Failure({ p }: { p: P }) {
  return (
    <section className="failure">
      <h4>
        {String(p.behavior)} failed: {String(p.exception_type)}
      </h4>
      <p>{String(p.message)}</p>
      {p.reason && <p className="muted">reason: {String(p.reason)}</p>}
      {p.traceback && (
        <>
          <CopyButton value={p.traceback} label="copy traceback" />
          <pre className="traceback">{String(p.traceback)}</pre>
        </>
      )}
    </section>
  );
}

function CallFacts({ type, p }: { type: string; p: P }) {
  const facts: [string, unknown][] = type.startsWith('llm.')
    ? [
        ['model', p.model],
        ['turn', p.turn_index],
        ['cache hit', p.cache_hit],
        [
          'tokens in/out',
          p.input_tokens !== undefined ? `${p.input_tokens} / ${p.output_tokens}` : p.estimated_input_tokens !== undefined ? `~${p.estimated_input_tokens} (estimate)` : undefined,
        ],
        ['cost', p.cost_usd !== undefined ? `$${p.cost_usd}` : p.estimated_cost_usd !== undefined ? `~$${p.estimated_cost_usd}` : undefined],
        ['latency', p.latency_seconds !== undefined ? `${p.latency_seconds} s` : undefined],
        ['finish', p.finish_reason],
        ['error', p.error ? `${p.error.reason}: ${p.error.message}` : undefined],
      ]
    : [
        ['tool', p.tool],
        ['cache hit', p.cache_hit],
        ['latency', p.latency_seconds !== undefined ? `${p.latency_seconds} s` : undefined],
        ['cost', p.cost_usd !== undefined ? `$${p.cost_usd}` : undefined],
        ['args hash', p.args_hash],
        ['error', p.error ? `${p.error.reason}: ${p.error.message}` : undefined],
      ];
  return (
    <dl className="facts">
      {facts
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{String(v)}</dd>
          </div>
        ))}
    </dl>
  );
}

/** What a step read (context.read): the objects, each opening in the graph as of this event. */
function ContextRead({ p }: { p: P }) {
  const goToObject = useApp((s) => s.goToObject);
  const ids: string[] = Array.isArray(p.object_ids) ? p.object_ids.map(String) : [];
  return (
    <section data-testid="context-read">
      <h4>
        {String(p.behavior)} read {String(p.count)} object{p.count === 1 ? '' : 's'}
        {p.truncated ? <span className="muted small"> (the first {ids.length} listed)</span> : null}
      </h4>
      <p className="muted small">
        Its execution: {p.execution_event_id ? <code>{String(p.execution_event_id)}</code> : 'not named'}. The graph tab draws these reads as dashed edges.
      </p>
      <ul className="links inline">
        {ids.map((id) => (
          <li key={id}>
            <button className="link" onClick={() => goToObject(id)}>
              {id}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The fields of an event that are simple values, as label/value pairs (governance and stop events). */
function Facts({ title, facts }: { title: string; facts: [string, unknown][] }) {
  const shown = facts.filter(([, v]) => v !== undefined && v !== null && v !== '');
  return (
    <section>
      <h4>{title}</h4>
      <dl className="facts">
        {shown.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** What the newer event types say, as a title and label/value pairs (governance, stops, overrides). */
const TYPED_FACTS: Record<string, (p: P) => { title: string; facts: [string, unknown][] }> = {
  'authority.decision': (p) => ({
    title: `Policy decision: ${String(p.decision)}`,
    facts: [
      ['capability', p.capability],
      ['action class', p.action_class],
      ['ceiling', p.ceiling],
      ['capability ceiling', p.capability_ceiling],
      ['effective ceiling', p.effective_ceiling],
      ['matched policy', p.matched_policy],
      ['reason', p.reason],
    ],
  }),
  'authority.ceiling_changed': (p) => ({
    title: 'Authority ceiling changed',
    facts: [
      ['from', p.previous_ceiling],
      ['to', p.ceiling],
      ['by', p.actor],
      ['reason', p.reason],
    ],
  }),
  'dev.override': (p) => ({
    title: 'Developer override',
    facts: [
      ['by', p.actor],
      ['gate', p.target_gate],
      ['scope', p.scope],
      ['resulting authority', p.resulting_authority],
      ['reason', p.reason],
    ],
  }),
  'runtime.budget_exhausted': (p) => ({
    title: `Stopped: ${String(p.exhausted_by)} exhausted`,
    facts: [
      ['accepted sequence', p.stop_position?.accepted_sequence],
      ['event tick', p.stop_position?.event_tick],
      ['queue depth', p.stop_position?.queue_depth],
      ['delayed depth', p.stop_position?.delayed_depth],
    ],
  }),
  'pack.settings_overridden': (p) => ({
    title: `Settings of ${String(p.pack)} overridden`,
    facts: [
      ['assignments', Array.isArray(p.assignments) ? p.assignments.join(' ') : undefined],
      ['overrides', p.overrides],
    ],
  }),
  'trial.wall_clock_exhausted': (p) => ({ title: 'Trial stopped: wall clock exhausted', facts: Object.entries(p) }),
};

function TypedFacts({ type, p }: { type: string; p: P }) {
  const said = TYPED_FACTS[type]?.(p);
  return said ? <Facts title={said.title} facts={said.facts} /> : null;
}

export function EventDetail() {
  const { storeId, runId, selected, setForkAt, setWhatIf, stores } = useApp(
    useShallow((s) => ({ storeId: s.storeId, runId: s.runId, selected: s.selected, setForkAt: s.setForkAt, setWhatIf: s.setWhatIf, stores: s.stores })),
  );
  const writable = stores.find((s) => s.storeId === storeId)?.writable ?? false;
  const { data: detail } = useView('event', 'getEvent', storeId && runId && selected ? { storeId, runId, eventId: selected.id } : null);

  if (!selected) return <div className="panel-empty">Select an event in the timeline (click, or use ↑ ↓ PgUp PgDn Home End).</div>;
  if (!detail) return <div className="panel-empty">Loading {selected.id}…</div>;
  const p = (detail.payload ?? {}) as P;
  return (
    <div className="event-detail" data-testid="event-detail">
      <header>
        <h3>
          {detail.id} <TypeChip type={detail.type} failed={isFailureType(detail.type)} />
        </h3>
        <span className="detail-actions">
          <button onClick={() => setWhatIf({ exclude: [detail.id] })} title="The graph re-projected without this event (and what it caused)">
            What if not…
          </button>
          {writable && <button onClick={() => setForkAt({ id: detail.id, seq: detail.seq, type: detail.type })}>Fork here…</button>}
        </span>
      </header>
      <dl className="facts">
        <div>
          <dt>seq</dt>
          <dd>{detail.seq}</dd>
        </div>
        <div>
          <dt>actor</dt>
          <dd>{detail.actor ?? '(none)'}</dd>
        </div>
        <div>
          <dt>frame</dt>
          <dd>{detail.frame_id ?? '(none)'}</dd>
        </div>
        <div>
          <dt>timestamp</dt>
          <dd>{detail.timestamp}</dd>
        </div>
        {detail.archivedAt && (
          <div data-testid="archived-at">
            <dt>archive tier</dt>
            <dd>archived {detail.archivedAt}</dd>
          </div>
        )}
      </dl>
      <section>
        <h4>Cause</h4>
        {detail.cause ? <EventLink e={detail.cause} /> : <p className="muted">{detail.caused_by ? `${detail.caused_by} (not in this run's hot log)` : 'none: a root event'}</p>}
        <h4>
          Consequences ({detail.consequences.length})
          {detail.consequencesSearched !== null && <span className="muted small"> in the next {detail.consequencesSearched.toLocaleString('en-US')} events</span>}
        </h4>
        {detail.consequences.length === 0 ? (
          <p className="muted">no event names this one as its cause</p>
        ) : (
          <ul className="links">
            {detail.consequences.map((c) => (
              <li key={c.id}>
                <EventLink e={c} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {detail.payloadError ? (
        <section className="corrupt">
          <h4>Corrupted payload</h4>
          <p>{detail.payloadError}</p>
          <pre className="raw">{detail.payloadText}</pre>
        </section>
      ) : (
        <>
          {detail.type === 'patch.applied' && <PatchDiff p={p} />}
          {detail.type === 'behavior.failed' && <Failure p={p} />}
          {(detail.type.startsWith('llm.') || detail.type.startsWith('tool.')) && <CallFacts type={detail.type} p={p} />}
          {detail.type === 'context.read' && <ContextRead p={p} />}
          <TypedFacts type={detail.type} p={p} />
          <section>
            <h4>
              Payload <CopyButton value={detail.payloadText} label="copy JSON" />
            </h4>
            <div className="json">
              <JsonTree value={detail.payload} />
            </div>
          </section>
        </>
      )}
    </div>
  );
}
