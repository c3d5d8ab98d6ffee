/**
 * Graphite (`grafi`) EventStorePostgres, both layouts: a run per assistant request, grouped under
 * its conversation; rows ordered by the table's id (not the timestamp); invoke/respond/failed pairs
 * nested as spans (Assistant ⊃ Workflow ⊃ Node ⊃ Tool); JSON read as text and parsed here, since
 * some valid rows break Postgres' JSON operators (spec other-stores §1).
 */
import type pg from 'pg';
import { pyParse } from '../../base/pyjson.js';
import type { StoreUrl } from '../store-url.js';
import { ForeignStore, isoUtc, type ForeignEvent, type ForeignRun } from './foreign-store.js';

export type GraphiteLayout = 'legacy' | 'current';

export function graphiteLayout(columns: string[]): GraphiteLayout | null {
  const has = (c: string) => columns.includes(c);
  if (!has('event_id') || !has('assistant_request_id') || !has('event_type')) return null;
  if (has('event_data')) return 'current';
  if (has('event_context') && has('data')) return 'legacy';
  return null;
}

type J = Record<string, any>;

/** Parses JSON text (last key wins, big numbers kept); a string that is not JSON stays a string. */
function parse(text: unknown): any {
  if (typeof text !== 'string') return text;
  try {
    return pyParse(text);
  } catch {
    return text;
  }
}

/** Message lists are often stored as JSON strings inside the JSON: decode them a second time. */
const decodeTwice = (v: unknown): unknown => (typeof v === 'string' && /^\s*[[{]/.test(v) ? parse(v) : v);

const KINDS = ['Assistant', 'Workflow', 'Node', 'Tool'] as const;
const NORMAL: Record<string, string> = {
  PublishToTopic: 'topic.publish',
  ConsumeFromTopic: 'topic.consume',
  OutputTopic: 'topic.output',
  TopicEvent: 'topic.event',
  StreamTopicEvent: 'topic.stream',
};

export function normalizeGraphiteType(eventType: string): string {
  if (NORMAL[eventType]) return NORMAL[eventType];
  const m = /^(Assistant|Workflow|Node|Tool)(Invoke|Respond|Failed)$/.exec(eventType);
  return m ? `${m[1]!.toLowerCase()}.${m[2]!.toLowerCase()}` : `graphite.${eventType}`;
}

interface Row {
  id: number;
  event_id: string;
  conversation_id: string;
  assistant_request_id: string;
  event_type: string;
  context: string;
  data: string;
  ts: string;
}

export async function openGraphite(url: StoreUrl, client: pg.Client, layout: GraphiteLayout): Promise<ForeignStore> {
  const sql =
    layout === 'legacy'
      ? `SELECT id, event_id, conversation_id, assistant_request_id, event_type, event_context::text AS context, data::text AS data, timestamp::text AS ts FROM events ORDER BY id`
      : `SELECT id, event_id, conversation_id, assistant_request_id, event_type, event_data::text AS data, '' AS context, timestamp::text AS ts FROM events ORDER BY id`;
  const rows = (await client.query<Row>(sql)).rows;

  const byRequest = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byRequest.get(r.assistant_request_id);
    if (list) list.push(r);
    else byRequest.set(r.assistant_request_id, [r]);
  }

  const runs: ForeignRun[] = [];
  const conversations = new Map<string, string>(); // conversation id -> first timestamp
  for (const [requestId, list] of byRequest) {
    const conversation = list[0]!.conversation_id;
    if (!conversations.has(conversation)) conversations.set(conversation, isoUtc(list[0]!.ts));
    const stack: { kind: string; component: string; eventId: string; object: string }[] = [];
    const structure = new GraphiteStructure();
    const published = new Map<string, string>(); // `${topic}#${offset}` -> publish event id
    const events: ForeignEvent[] = [];
    let status = 'in progress';
    let goal: string | null = null;
    for (const r of list) {
      const whole: J = layout === 'current' ? (parse(r.data) ?? {}) : {};
      const context: J = layout === 'current' ? (whole.event_context ?? {}) : (parse(r.context) ?? {});
      let data: any = layout === 'current' ? whole.data : parse(r.data);
      const type = normalizeGraphiteType(r.event_type);
      const [family, phase] = type.split('.') as [string, string];
      const kind = KINDS.find((k) => k.toLowerCase() === family);
      const { invoke_context: invokeContext, ...ctx } = context;
      let actor: string | null = null;
      let causedBy: string | null = null;
      let frame: string | null = stack.length ? stack[stack.length - 1]!.eventId : null;
      let depth = stack.length;
      let projects: ForeignEvent['projects'];
      if (kind) {
        const k = kind.toLowerCase();
        const component = String(ctx[`${k}_id`] ?? ctx.id ?? '');
        actor = String(ctx[`${k}_name`] ?? ctx.name ?? kind);
        if (data && typeof data === 'object')
          data = Object.fromEntries(Object.entries(data).map(([key, v]) => [key, key === 'input_data' || key === 'output_data' ? decodeTwice(v) : v]));
        if (phase === 'invoke') {
          causedBy = frame;
          const object = structure.component(k, actor, { component_id: component, class: ctx.type ?? ctx[`${k}_type`] ?? null });
          if (stack.length) structure.relate('contains', stack[stack.length - 1]!.object, object);
          for (const t of topicNames(ctx.subscribed_topics)) structure.relate('consumes_from', object, structure.topic(t));
          for (const t of topicNames(ctx.publish_to_topics)) structure.relate('publishes_to', object, structure.topic(t));
          projects = structure.take();
          stack.push({ kind, component, eventId: r.event_id, object });
        } else {
          const at = stack.map((s) => s.kind + s.component).lastIndexOf(kind + component);
          if (at >= 0) {
            causedBy = stack[at]!.eventId;
            stack.length = at; // close this span (and any left open inside it)
          }
          frame = stack.length ? stack[stack.length - 1]!.eventId : null;
          depth = stack.length;
        }
        if (kind === 'Assistant') {
          if (phase === 'respond') status = 'succeeded';
          if (phase === 'failed') status = 'failed';
          if (phase === 'invoke') goal = firstUserText(data?.input_data) ?? actor;
        }
      } else {
        data = decodeTwice(data);
        const topic = String(ctx.topic_name ?? ctx.name ?? '');
        actor = String(ctx.publisher_name ?? ctx.consumer_name ?? '') || null;
        const by = phase === 'consume' ? ctx.consumer_name : ctx.publisher_name;
        if (topic && typeof by === 'string' && by) {
          const component = structure.named(by, String((phase === 'consume' ? ctx.consumer_type : ctx.publisher_type) ?? ''));
          structure.relate(phase === 'consume' ? 'consumes_from' : 'publishes_to', component, structure.topic(topic, ctx.type));
          projects = structure.take();
        }
        if (phase === 'publish' || phase === 'output') {
          published.set(`${topic}#${ctx.offset}`, r.event_id);
          const consumed = Array.isArray(ctx.consumed_event_ids) ? ctx.consumed_event_ids : [];
          causedBy = typeof consumed[0] === 'string' ? consumed[0] : null;
        } else if (phase === 'consume') {
          causedBy = published.get(`${topic}#${ctx.offset}`) ?? null;
        }
      }
      events.push({
        id: r.event_id,
        type,
        actor,
        payload: { span: { kind: kind ?? 'Topic', phase, depth }, context: ctx, invoke_context: invokeContext ?? null, data: data ?? null, row_id: r.id, event_type: r.event_type },
        frame_id: frame,
        caused_by: causedBy,
        timestamp: isoUtc(r.ts),
        projects,
      });
    }
    runs.push({
      row: {
        run_id: requestId,
        parent_run_id: `conversation:${conversation}`,
        forked_at_event_id: null,
        label: null,
        created_at: events[0]?.timestamp ?? '',
        goal,
        frame_id: null,
      },
      nativeStatus: status,
      attributes: { conversation_id: conversation, assistant_request_id: requestId, status, layout, rows: list.length },
      events,
    });
  }
  for (const [conversation, firstTs] of conversations) {
    runs.unshift({
      row: {
        run_id: `conversation:${conversation}`,
        parent_run_id: null,
        forked_at_event_id: null,
        label: null,
        created_at: firstTs,
        goal: `conversation ${conversation}`,
        frame_id: null,
      },
      nativeStatus: 'conversation',
      attributes: { conversation_id: conversation, requests: runs.filter((r) => r.row.parent_run_id === `conversation:${conversation}`).map((r) => r.row.run_id) },
      events: [],
    });
  }
  return new ForeignStore(url, 'postgres', 'Graphite', runs);
}

function firstUserText(messages: unknown): string | null {
  const list = Array.isArray(messages) ? messages : messages && typeof messages === 'object' ? decodeTwice((messages as J).data) : null;
  if (!Array.isArray(list)) return null;
  const m = list.find((x: J) => x?.role === 'user' && typeof x.content === 'string');
  return m ? String(m.content).slice(0, 120) : null;
}

/** Topic names as a node's context lists them (names, or topic records with a name). */
function topicNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((t) => (t && typeof t === 'object' ? (t as J).name : t)).filter((t): t is string => typeof t === 'string' && t !== '');
}

/** The kind of a component named only by its class (a topic event's publisher or consumer type). */
function kindOfClass(className: string): string {
  const kind = KINDS.find((k) => className.endsWith(k) || className.includes(k));
  return kind ? kind.toLowerCase() : 'component';
}

/**
 * A request's graph of components (assistant ⊃ workflow ⊃ nodes ⊃ tools) and the topics they
 * publish to and consume from, as Active Graph projection rows: each object and relation is created
 * by the first event that shows it. Components are known by their name (what a topic event names).
 */
class GraphiteStructure {
  private readonly byName = new Map<string, string>();
  private readonly known = new Set<string>();
  private pending: { type: string; payload: unknown }[] = [];

  component(kind: string, name: string, data: Record<string, unknown>): string {
    const id = `${kind}:${name}`;
    this.byName.set(name, id);
    this.create(id, kind, { name, ...data });
    return id;
  }

  /** A component a topic event names: the one invoked under that name, or a new one of its class. */
  named(name: string, className: string): string {
    return this.byName.get(name) ?? this.component(kindOfClass(className), name, { class: className || null });
  }

  topic(name: string, type?: unknown): string {
    const id = `topic:${name}`;
    this.create(id, 'topic', { name, type: typeof type === 'string' ? type : null });
    return id;
  }

  relate(type: string, source: string, target: string): void {
    const id = `${type}:${source}->${target}`;
    if (this.known.has(id)) return;
    this.known.add(id);
    this.pending.push({ type: 'relation.created', payload: { relation: { id, source, target, type, data: {}, provenance: null } } });
  }

  /** The rows of what the current event showed first (none when it showed nothing new). */
  take(): { type: string; payload: unknown }[] | undefined {
    const rows = this.pending;
    this.pending = [];
    return rows.length ? rows : undefined;
  }

  private create(id: string, type: string, data: Record<string, unknown>): void {
    if (this.known.has(id)) return;
    this.known.add(id);
    this.pending.push({ type: 'object.created', payload: { object: { id, type, data, version: 1, provenance: null } } });
  }
}
