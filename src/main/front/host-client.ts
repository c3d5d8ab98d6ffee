/**
 * The front's end of the data host: calls with cancellation, pushes, and a host that is restarted
 * when it dies. Calls in flight when it dies fail with a structured error (never silently), the
 * new host reopens the stores that were open under the same ids, and listeners are told.
 */
import type { OpResult, OperationName } from '../../shared/contract.js';
import type { SerializedError } from '../../shared/errors.js';
import { HostWire } from '../../shared/host-wire.js';
import type { FrontMessage, HostMessage, HostPort } from '../host/protocol.js';
import type { HostSnapshot } from '../service/inspector-service.js';
import type { PushSink } from '../service/push.js';

/** A started host process or thread, as the front sees it. */
export interface HostProcess {
  port: HostPort<HostMessage, FrontMessage>;
  /** Resolves with a reason when it ends, for whatever cause. */
  exited: Promise<string>;
  /** Ends it now (after `close` has been answered, or when it does not answer). */
  kill(): void;
}

export type LaunchHost<P extends HostProcess = HostProcess> = () => P;

/** Restarts allowed within RESTART_WINDOW_MS before the host is given up on. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const CLOSE_TIMEOUT_MS = 5_000;

const hostError = (className: string, summary: string, whatFailed: string, howToFix: string): SerializedError => ({
  className,
  summary,
  whatFailed,
  why: 'Store work runs in a separate data host, so that a crash there never takes the app down with it.',
  howToFix,
  context: {},
  exitCode: 1,
});

export class HostClient<P extends HostProcess = HostProcess> {
  private proc!: P;
  private wire!: HostWire;
  private snapshot: HostSnapshot = { stores: [], runningMigrations: [] };
  private ready: Promise<void> = Promise.resolve();
  private readonly sinks = new Set<PushSink>();
  private readonly restartListeners = new Set<(reason: string, proc: P) => void>();
  private restarts: number[] = [];
  private closing = false;
  private gaveUp: string | null = null;

  constructor(private readonly launch: LaunchHost<P>) {
    this.attach(launch(), null);
  }

  /** The running host (Electron hands each window a port of its own to it). */
  get current(): P {
    return this.proc;
  }

  private attach(proc: P, restore: HostSnapshot | null): void {
    this.proc = proc;
    const wire = (this.wire = new HostWire(
      (m) => proc.port.post(m),
      (channel, payload) => this.sinks.forEach((s) => s(channel, payload as never)),
    ));
    let markReady = (): void => {};
    this.ready = restore ? new Promise<void>((r) => (markReady = r)) : Promise.resolve();
    proc.port.onMessage((m) => {
      if (this.proc !== proc || wire.receive(m)) return;
      if (m.kind === 'snapshot') {
        this.snapshot = m.snapshot;
      } else if (m.kind === 'ready') {
        markReady();
      }
    });
    if (restore) proc.port.post({ kind: 'restore', snapshot: restore });
    void proc.exited.then((reason) => {
      if (this.closing || this.proc !== proc) return;
      markReady();
      this.hostDied(reason);
    });
  }

  private hostDied(reason: string): void {
    this.wire.failAll(
      hostError(
        'HostCrashedError',
        `the data host stopped (${reason})`,
        `The process that runs store work stopped while this request was in flight: ${reason}.`,
        'Retry: the data host has been restarted and the open stores reopened.',
      ),
    );
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.restarts.length > MAX_RESTARTS) {
      this.gaveUp = reason;
      return;
    }
    this.attach(this.launch(), this.snapshot);
    for (const l of this.restartListeners) l(reason, this.proc);
    for (const s of this.sinks) s('hostRestarted', { reason });
  }

  async call(op: OperationName, input: unknown, signal?: AbortSignal): Promise<OpResult<OperationName>> {
    await this.ready;
    if (this.gaveUp !== null) {
      const error = hostError(
        'HostCrashedError',
        'the data host keeps stopping',
        `The data host stopped ${MAX_RESTARTS + 1} times within a minute (last: ${this.gaveUp}).`,
        'Restart Run Inspector; if it happens again, report it with the store that was open.',
      );
      return { ok: false, error };
    }
    return this.wire.call(op, input, signal);
  }

  onPush(sink: PushSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Called after each restart with the new host (Electron: to hand windows new ports). */
  onRestart(listener: (reason: string, proc: P) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Closes every store in the host, then ends it. */
  async close(): Promise<void> {
    this.closing = true;
    const proc = this.proc;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      proc.port.onMessage((m) => m.kind === 'closed' && (clearTimeout(timer), resolve()));
      void proc.exited.then(() => (clearTimeout(timer), resolve()));
      proc.port.post({ kind: 'close' });
    });
    proc.kill();
    await proc.exited;
  }
}
