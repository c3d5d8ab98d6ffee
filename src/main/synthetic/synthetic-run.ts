/**
 * Deterministic, realistic Active Graph event logs written through the engine's own writer: the
 * bundled demo store, the benchmark's million-event run and live-writer tests all come from here.
 * Event shapes follow the catalogue of spec §5 (planner → researcher → LLM summarizer with a tool
 * turn → verifier patch, occasional failures, idle snapshots).
 */
import type { NewEvent, StoreWriter } from '../store/store-writer.js';
import { pyDumps } from '../base/pyjson.js';
import { BUDGET_DIMENSIONS } from '../../shared/model.js';
import { createHash } from 'node:crypto';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number): string => String(n).padStart(3, '0');
const VENDORS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises', 'Tyrell'];
const ASPECTS = ['pricing', 'security posture', 'uptime history', 'support quality', 'data residency', 'roadmap', 'references', 'compliance'];

export interface Counters {
  event: number;
  object: number;
  relation: number;
  patch: number;
}

/** Highest numbers already used in a log, so a continuation (e.g. of a fork) mints fresh ids. */
export function countersFromLog(events: { id: string; type: string; payload: string }[]): Counters {
  const c: Counters = { event: 0, object: 0, relation: 0, patch: 0 };
  for (const e of events) {
    const m = /_(\d+)$/.exec(e.id);
    if (m) c.event = Math.max(c.event, Number(m[1]));
    for (const o of e.payload.matchAll(/"[a-z_]+#(\d+)"/g)) c.object = Math.max(c.object, Number(o[1]));
    for (const r of e.payload.matchAll(/"rel_(\d+)"/g)) c.relation = Math.max(c.relation, Number(r[1]));
    for (const p of e.payload.matchAll(/"patch_(\d+)"/g)) c.patch = Math.max(c.patch, Number(p[1]));
  }
  return c;
}

export class SyntheticRun {
  private readonly rand: () => number;
  private readonly c: Counters;
  private clock: number;
  private buffer: NewEvent[] = [];
  private claims: string[] = [];
  /** Questions and relations of earlier cycles, which an operator prunes now and then. */
  private oldQuestions: string[] = [];
  private oldRelations: string[] = [];
  private cycleNo = 0;

  constructor(
    readonly runId: string,
    opts: { seed: number; counters?: Counters; startTime?: string; frameId?: string; failureRate?: number },
  ) {
    this.rand = prng(opts.seed);
    this.c = { ...(opts.counters ?? { event: 0, object: 0, relation: 0, patch: 0 }) };
    this.clock = Date.parse(opts.startTime ?? '2026-09-01T09:00:00Z');
    this.frame = opts.frameId ?? 'frame_001';
    this.failureRate = opts.failureRate ?? 0.08;
  }
  private readonly frame: string;
  private readonly failureRate: number;

  private ts(): string {
    this.clock += 1000 + Math.floor(this.rand() * 1500);
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private emit(type: string, actor: string | null, payload: unknown, causedBy: string | null): string {
    const id = `evt_${pad(++this.c.event)}`;
    this.buffer.push({ id, type, actor, payload: pyDumps(payload, { ensureAscii: false }), frame_id: this.frame, caused_by: causedBy, timestamp: this.ts() });
    return id;
  }

  private provenance(createdBy: string, cause: string): Record<string, unknown> {
    return {
      created_by: createdBy,
      caused_by_event: cause,
      frame_id: this.frame,
      timestamp: new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      evidence: [],
      run_id: this.runId,
    };
  }

  private createObject(type: string, data: Record<string, unknown>, actor: string, cause: string): { id: string; event: string } {
    const id = `${type}#${++this.c.object}`;
    const event = this.emit('object.created', actor, { object: { id, type, data, version: 1, provenance: this.provenance(actor, cause) }, id }, cause);
    return { id, event };
  }

  /**
   * An operator removes a question of an earlier cycle (its relations cascade away) and now and
   * then a single relation, as real runs do thousands of times: removals among many relations are
   * what the projection's cascade has to be fast for.
   */
  private prune(): void {
    if (this.oldQuestions.length > 6 && this.rand() < 0.6) {
      const [q] = this.oldQuestions.splice(Math.floor(this.rand() * (this.oldQuestions.length - 3)), 1);
      this.emit('object.removed', 'operator', { id: q }, null);
    }
    if (this.oldRelations.length > 6 && this.rand() < 0.3) {
      const [r] = this.oldRelations.splice(Math.floor(this.rand() * (this.oldRelations.length - 3)), 1);
      this.emit('relation.removed', 'operator', { id: r }, null);
    }
  }

  private relate(source: string, type: string, target: string, actor: string, cause: string): string {
    const id = `rel_${pad(++this.c.relation)}`;
    if (type !== 'has_question') this.oldRelations.push(id);
    this.emit('relation.created', actor, { relation: { id, source, target, type, data: {}, provenance: this.provenance(actor, cause) }, id, source, target }, cause);
    return id;
  }

  private behavior<T>(name: string, trigger: string, triggerType: string, objectId: string | null, body: () => T): T | undefined {
    this.emit('behavior.started', 'runtime', { behavior: name, event_id: trigger, triggering_event_type: triggerType, triggering_object_id: objectId }, trigger);
    if (this.rand() < this.failureRate) {
      const message = `source fetch timed out for ${objectId ?? trigger}`;
      this.emit(
        'behavior.failed',
        'runtime',
        {
          behavior: name,
          event_id: trigger,
          exception_type: 'TimeoutError',
          message,
          traceback: `Traceback (most recent call last):\n  File "activegraph/runtime/runtime.py", line 1123, in _invoke\n    b.run(event, bgraph, ctx)\n  File "agents/${name}.py", line 42, in ${name}\n    fetch(url, timeout=5)\nTimeoutError: ${message}\n`,
        },
        trigger,
      );
      return undefined;
    }
    const result = body();
    this.emit(
      'behavior.completed',
      'runtime',
      { behavior: name, event_id: trigger, objects_created: 1, relations_created: 1, patches_applied: 0, patches_proposed: 0, events_emitted: 2 },
      trigger,
    );
    return result;
  }

  /** One goal cycle: plan, research each question, summarize with an LLM + tool turn, verify. */
  cycle(goalText?: string): void {
    this.cycleNo++;
    const vendor = VENDORS[Math.floor(this.rand() * VENDORS.length)]!;
    const goal = goalText ?? `Assess vendor ${vendor}`;
    const g = this.emit('goal.created', 'user', { goal }, null);
    const questions: { id: string; event: string }[] = [];
    this.behavior('planner', g, 'goal.created', null, () => {
      const plan = this.createObject('plan', { title: `plan for ${goal}`, status: 'open', steps: 3 }, 'planner', g);
      for (let i = 0; i < 3; i++) {
        const q = this.createObject('question', { title: `Q${i + 1}: ${ASPECTS[(i + this.cycleNo) % ASPECTS.length]} of ${vendor}`, status: 'open', index: i + 1 }, 'planner', g);
        this.oldQuestions.push(q.id);
        this.relate(plan.id, 'has_question', q.id, 'planner', g);
        questions.push(q);
      }
    });
    for (const q of questions) {
      const source = this.behavior('researcher', q.event, 'object.created', q.id, () => {
        const req = this.emit(
          'embedding.requested',
          'researcher',
          {
            inputs_hash: createHash('sha1')
              .update(q.id + this.runId)
              .digest('hex'),
            model: 'hash-embed-1',
            input_count: 1,
            cache_hit: false,
          },
          q.event,
        );
        this.emit(
          'embedding.responded',
          'researcher',
          {
            inputs_hash: createHash('sha1')
              .update(q.id + this.runId)
              .digest('hex'),
            model: 'hash-embed-1',
            vectors: [[0.12, -0.5, 0.33]],
            vector_count: 1,
            dimensions: 3,
            cache_hit: false,
            error: null,
          },
          req,
        );
        const s = this.createObject(
          'source',
          { title: `source for ${q.id}`, url: `https://example.invalid/${q.id.replace('#', '-')}`, confidence: Math.round(this.rand() * 1000) / 1000 },
          'researcher',
          q.event,
        );
        this.relate(q.id, 'answered_by', s.id, 'researcher', q.event);
        return s;
      });
      if (!source) continue;
      const claim = this.behavior('summarizer', source.event, 'object.created', source.id, () => {
        const prompt_hash = createHash('sha256')
          .update(source.id + this.cycleNo)
          .digest('hex');
        const cost = (0.002 + this.rand() * 0.004).toFixed(6);
        const r1 = this.emit(
          'llm.requested',
          'summarizer',
          {
            behavior: 'summarizer',
            model: 'scripted-model-1',
            prompt_hash,
            deterministic: true,
            cache_hit: false,
            turn_index: 0,
            prompt_normalized: true,
            prompt: `Summarize ${source.id} into one claim.`,
            estimated_input_tokens: 180,
            estimated_cost_usd: cost,
            budget_remaining_usd: null,
          },
          source.event,
        );
        const resp1 = this.emit(
          'llm.responded',
          'summarizer',
          {
            raw_text: '',
            parsed: null,
            input_tokens: 180,
            output_tokens: 12,
            cost_usd: cost,
            latency_seconds: 0.4,
            model: 'scripted-model-1',
            finish_reason: 'tool_calls',
            seed: null,
            cache_hit: false,
            provider_meta: {},
            tool_calls: [{ id: 'call_1', name: 'lookup', args: { q: source.id } }],
            behavior: 'summarizer',
            prompt_hash,
            turn_index: 0,
          },
          r1,
        );
        const treq = this.emit(
          'tool.requested',
          'summarizer',
          {
            behavior: 'summarizer',
            tool: 'lookup',
            args_hash: createHash('sha256').update(source.id).digest('hex'),
            args: { q: source.id },
            call_id: 'call_1',
            cache_hit: false,
            deterministic: true,
          },
          resp1,
        );
        this.emit(
          'tool.responded',
          'summarizer',
          {
            behavior: 'summarizer',
            tool: 'lookup',
            args_hash: createHash('sha256').update(source.id).digest('hex'),
            output: { snippet: `notes about ${source.id}` },
            error: null,
            cache_hit: false,
            latency_seconds: 0.05,
            cost_usd: '0',
            deterministic: true,
          },
          treq,
        );
        const r2 = this.emit(
          'llm.requested',
          'summarizer',
          {
            behavior: 'summarizer',
            model: 'scripted-model-1',
            prompt_hash,
            deterministic: true,
            cache_hit: false,
            turn_index: 1,
            prompt_normalized: true,
            estimated_input_tokens: 240,
            estimated_cost_usd: cost,
            budget_remaining_usd: null,
          },
          r1,
        );
        const confidence = Math.round((0.5 + this.rand() * 0.5) * 1000) / 1000;
        this.emit(
          'llm.responded',
          'summarizer',
          {
            raw_text: `{"claim": "claim about ${source.id}", "confidence": ${confidence}}`,
            parsed: { claim: `claim about ${source.id}`, confidence },
            input_tokens: 240,
            output_tokens: 42,
            cost_usd: cost,
            latency_seconds: 0.9,
            model: 'scripted-model-1',
            finish_reason: 'stop',
            seed: null,
            cache_hit: false,
            provider_meta: {},
            tool_calls: null,
            behavior: 'summarizer',
            prompt_hash,
            turn_index: 1,
          },
          r2,
        );
        const c = this.createObject('claim', { text: `claim about ${source.id}`, confidence, status: 'draft' }, 'summarizer', source.event);
        this.relate(c.id, 'supported_by', source.id, 'summarizer', source.event);
        return c;
      });
      if (!claim) continue;
      this.claims.push(claim.id);
      this.behavior('verifier', claim.event, 'object.created', claim.id, () => {
        const patchId = `patch_${pad(++this.c.patch)}`;
        this.emit(
          'patch.applied',
          'verifier',
          {
            patch: {
              id: patchId,
              target: claim.id,
              op: 'update',
              value: { status: 'verified', checked: true },
              expected_version: 1,
              proposed_by: 'verifier',
              rationale: 'cross-checked against the source',
              evidence: [claim.event],
              status: 'applied',
              rejection_reason: null,
              provenance: this.provenance('verifier', claim.event),
            },
            target: claim.id,
            diff: { status: { old: 'draft', new: 'verified' }, checked: { old: null, new: true } },
          },
          claim.event,
        );
      });
    }
    this.prune();
    const used = Object.fromEntries(BUDGET_DIMENSIONS.map((d) => [d, d === 'max_events' ? this.c.event : 0]));
    this.emit(
      'runtime.idle',
      'runtime',
      { snapshot: { used, limits: Object.fromEntries(BUDGET_DIMENSIONS.map((d) => [d, null])), cost_used_usd: '0', cost_limit_usd: null } },
      null,
    );
  }

  /** The run's next `n` events, generating cycles as needed (a writer that appends a few at a time). */
  next(n: number): NewEvent[] {
    while (this.buffer.length < n) this.cycle();
    return this.buffer.splice(0, n);
  }

  /** Writes cycles until at least `minEvents` events have been written (in transactions of `chunk`). */
  async write(writer: StoreWriter, minEvents: number, chunk = 20_000, onProgress?: (written: number) => void): Promise<number> {
    let written = 0;
    while (written < minEvents) {
      while (this.buffer.length < chunk && written + this.buffer.length < minEvents) this.cycle();
      const batch = this.buffer;
      this.buffer = [];
      await writer.begin();
      await writer.insertEvents(this.runId, batch);
      await writer.commit();
      written += batch.length;
      onProgress?.(written);
    }
    return written;
  }

  /** Appends exactly the pending buffer plus one cycle; used by live-writer scenarios. */
  async writeCycle(writer: StoreWriter, goal?: string): Promise<number> {
    this.cycle(goal);
    const batch = this.buffer;
    this.buffer = [];
    await writer.begin();
    await writer.insertEvents(this.runId, batch);
    await writer.commit();
    return batch.length;
  }

  get createdAt(): string {
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
