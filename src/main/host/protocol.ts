/**
 * The wire between a front (Electron's main process and windows, or browser mode's HTTP server)
 * and the data host. One small port interface, so that the same host runs in an Electron utility
 * process (MessagePortMain, process.parentPort) and in a Node worker thread (tested under Node).
 */
import type { AnswerMessage, CallMessage } from '../../shared/host-wire.js';
import type { HostSnapshot } from '../service/inspector-service.js';

export type FrontMessage =
  /** A contract call (`id` is unique per connection), or a cancel of one: stop its work, send no result. */
  | CallMessage
  /** Control connection only, first message after a restart: reopen what was open. */
  | { kind: 'restore'; snapshot: HostSnapshot }
  /** Control connection only: close every store, then answer `closed`. */
  | { kind: 'close' };

export type HostMessage =
  | AnswerMessage
  /** Control connection only: what to restore should the host die (sent whenever it changes). */
  | { kind: 'snapshot'; snapshot: HostSnapshot }
  /** Control connection only: the restore is done. */
  | { kind: 'ready' }
  /** Control connection only: every store is closed; the process may end. */
  | { kind: 'closed' };

/** Both ends of every connection look like this. */
export interface HostPort<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** Electron: the message the main process sends the host with a window's MessagePort attached. */
export const WINDOW_PORT = 'ri-window-port';
