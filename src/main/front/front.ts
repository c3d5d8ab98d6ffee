/**
 * What every front (Electron's main process, browser mode's HTTP server) does with a call:
 * validate it against the contract, answer the connection operations itself (they need the saved
 * connections and the keyring, which stay here), and forward everything else to the data host.
 */
import { isFrontOperation, type FrontOperationName, type OpResult, type OperationName } from '../../shared/contract.js';
import { usageError } from '../base/errors.js';
import { parseStoreUrl } from '../store/store-url.js';
import { toSerializedError } from '../base/errors.js';
import { validateCall } from '../service/dispatch.js';
import type { SavedConnections } from '../service/saved-connections.js';
import type { HostClient } from './host-client.js';

/** What a front needs of the host client (whichever process the host runs in). */
export type HostApi = Pick<HostClient, 'call' | 'onPush'>;

export class Front {
  constructor(
    readonly host: HostApi,
    private readonly connections: SavedConnections | null,
  ) {}

  async call(op: unknown, input: unknown, signal?: AbortSignal): Promise<OpResult<OperationName>> {
    const valid = validateCall(op, input);
    if (!valid.ok) return { ok: false, error: valid.error };
    if (!isFrontOperation(valid.op)) return this.host.call(valid.op, valid.input, signal);
    try {
      return await this.connectionCall(valid.op, valid.input as Record<string, unknown>, signal);
    } catch (err) {
      return { ok: false, error: toSerializedError(err) };
    }
  }

  private async connectionCall(op: FrontOperationName, input: Record<string, unknown>, signal?: AbortSignal): Promise<OpResult<OperationName>> {
    const connections = this.connections;
    if (!connections) throw usageError('saved connections are not available here');
    switch (op) {
      case 'listConnections':
        return { ok: true, value: connections.list() };
      case 'saveConnection': {
        const { name, url, savePassword } = input as { name: string; url: string; savePassword: boolean };
        if (parseStoreUrl(url).kind !== 'postgres') throw usageError('only Postgres connections are saved; SQLite files are in the recent stores');
        return { ok: true, value: connections.save(name, url, savePassword) };
      }
      case 'deleteConnection':
        return { ok: true, value: { deleted: connections.delete(input.name as string) } };
      case 'openConnection': {
        // The secret leaves the front only inside this one call.
        const url = connections.connectionUrl(input.name as string, input.password as string | undefined);
        return this.host.call('openStore', { url }, signal);
      }
    }
  }
}
