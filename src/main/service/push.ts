/** Notifications from the host to every connected window (runs that grew, stores that changed, progress). */
import type { PushChannel, PushPayload } from '../../shared/contract.js';

export type PushSink = <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;

export class Pushes {
  private readonly sinks = new Set<PushSink>();

  subscribe(sink: PushSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  send<C extends PushChannel>(channel: C, payload: PushPayload<C>): void {
    for (const s of this.sinks) s(channel, payload);
  }
}
