/** Starts the data host in an Electron utility process. */
import { utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import path from 'node:path';
import type { HostProcess, LaunchHost } from '../front/host-client.js';
import { WINDOW_PORT, type FrontMessage, type HostMessage } from '../host/protocol.js';
import { ROOT } from '../paths.js';
import type { ServiceOptions } from '../service/inspector-service.js';

export interface UtilityHostProcess extends HostProcess {
  /** Hands the host one end of a window's channel. */
  connectWindow(port: MessagePortMain): void;
}

export function utilityHost(options: ServiceOptions): LaunchHost<UtilityHostProcess> {
  return () => {
    const child: UtilityProcess = utilityProcess.fork(path.join(ROOT, 'out', 'main', 'host-utility.js'), [JSON.stringify(options)], { serviceName: 'Run Inspector data host' });
    const exited = new Promise<string>((resolve) => child.once('exit', (code) => resolve(`exit code ${code}`)));
    return {
      port: { post: (m: FrontMessage) => child.postMessage(m), onMessage: (l) => child.on('message', (m: HostMessage) => l(m)) },
      exited,
      kill: () => void child.kill(),
      connectWindow: (port) => child.postMessage(WINDOW_PORT, [port]),
    };
  };
}
