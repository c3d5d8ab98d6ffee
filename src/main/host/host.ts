/**
 * The data host: the one InspectorService of the process, served over any number of connections
 * (the control connection of whoever started the host, and one per window in Electron). Each call
 * runs with its own AbortSignal; a cancelled call stops at its next chunk and gets no answer.
 * Nothing here knows which transport it runs on.
 */
import { dispatch } from '../service/dispatch.js';
import { InspectorService, type HostSnapshot, type ServiceOptions } from '../service/inspector-service.js';
import type { FrontMessage, HostMessage, HostPort } from './protocol.js';

export type HostConnection = HostPort<FrontMessage, HostMessage>;

export interface RunningHost {
  /** Serves one more connection (an Electron window's MessagePort). */
  connect(port: HostConnection): void;
  close(): Promise<void>;
}

export function runHost(control: HostConnection, options: ServiceOptions): RunningHost {
  const service = new InspectorService(options);
  const connections = new Set<HostConnection>();
  let lastSnapshot = '';

  const reportSnapshot = (): void => {
    const snapshot: HostSnapshot = service.snapshot();
    const text = JSON.stringify(snapshot);
    if (text === lastSnapshot) return;
    lastSnapshot = text;
    control.post({ kind: 'snapshot', snapshot });
  };

  service.onPush((channel, payload) => {
    for (const c of connections) c.post({ kind: 'push', channel, payload });
    if (channel === 'migration') reportSnapshot();
  });

  const serve = (port: HostConnection, isControl: boolean): void => {
    connections.add(port);
    const inFlight = new Map<number, AbortController>();
    port.onMessage((message) => {
      if (message.kind === 'cancel') {
        inFlight.get(message.id)?.abort();
        inFlight.delete(message.id);
        return;
      }
      if (message.kind === 'restore') {
        if (isControl) void service.restore(message.snapshot).then(() => (reportSnapshot(), control.post({ kind: 'ready' })));
        return;
      }
      if (message.kind === 'close') {
        if (isControl) void service.close().then(() => control.post({ kind: 'closed' }));
        return;
      }
      if (message.kind !== 'call') return;
      const controller = new AbortController();
      inFlight.set(message.id, controller);
      void dispatch(service, message.op, message.input, controller.signal).then((result) => {
        // The snapshot goes first: whoever sees the answer (a store opened) can count on it being restorable.
        reportSnapshot();
        const wanted = inFlight.delete(message.id) && !controller.signal.aborted;
        if (wanted) port.post({ kind: 'result', id: message.id, result });
      });
    });
  };

  serve(control, true);
  return {
    connect: (port) => serve(port, false),
    close: () => service.close(),
  };
}
