/**
 * The Electron shell, kept thin: one locked-down window, the renderer from a custom protocol,
 * File > Open, drag and drop, store URLs from the command line and single instance. Store work
 * runs in the data host, a utility process: the window talks to it over a MessagePort of its own,
 * so this process never waits on a query and imports no store driver. This process keeps the
 * window, the menus, the dialogs and the keyring; the connection operations (which need the
 * keyring) come here over IPC, every sender checked, every input validated.
 */
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, Menu, net, protocol, safeStorage, session, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { frontOperationNames } from '../shared/contract.js';
import { sqliteUrlForFile } from './store/store-url.js';
import { DEMO_STORE_URL, RENDERER_DIR, ROOT } from './paths.js';
import { CSP, resolveRendererFile } from './renderer-files.js';
import { utilityHost } from './electron/utility-host.js';
import { Front } from './front/front.js';
import { HostClient } from './front/host-client.js';
import { SavedConnections, type SecretProtector } from './service/saved-connections.js';
import { RecentStores } from './shell/recent-stores.js';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Electron's safeStorage, refused where it would only obfuscate (Linux without a keyring). */
const keyring: SecretProtector = {
  availability() {
    if (!safeStorage.isEncryptionAvailable()) return { ok: false, reason: 'the operating system offers no keyring to encrypt it' };
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return { ok: false, reason: 'no real keyring is running (Electron would only obfuscate it: backend basic_text)' };
    }
    return { ok: true };
  },
  encrypt: (secret) => safeStorage.encryptString(secret).toString('base64'),
  decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};

const host = new HostClient(utilityHost({ demoStoreUrl: DEMO_STORE_URL }));
const front = new Front(host, new SavedConnections(path.join(app.getPath('userData'), 'connections.json'), keyring));
let win: BrowserWindow | null = null;

/** Gives the window a channel of its own to the data host (again after each restart, with the reason). */
function connectWindow(target: BrowserWindow, restartReason: string | null): void {
  const { port1, port2 } = new MessageChannelMain();
  host.current.connectWindow(port1);
  target.webContents.postMessage('ri-host-port', { restartReason }, [port2]);
}
host.onRestart((reason) => win && connectWindow(win, reason));
let recent: RecentStores;

/** Store URLs (or .db paths) given on a command line. */
function storeArgs(argv: string[]): string[] {
  return argv
    .slice(app.isPackaged ? 1 : 2)
    .filter((a) => !a.startsWith('-') && (a.includes('://') || /\.(db|sqlite|sqlite3)$/i.test(a)))
    .map((a) => (a.includes('://') ? a : sqliteUrlForFile(a)));
}

async function openUrl(url: string): Promise<void> {
  const result = await front.call('openStore', { url });
  if (result.ok) {
    recent.add(url);
    win?.webContents.send('ri-push:storeChanged', { storeId: (result.value as { storeId: string }).storeId });
  } else {
    dialog.showErrorBox(result.error.summary, [result.error.whatFailed, result.error.howToFix].filter(Boolean).join('\n\n'));
  }
}

/** Only our window's main frame may call the contract. */
function validSender(event: IpcMainInvokeEvent): boolean {
  return win !== null && event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame && new URL(event.senderFrame.url).protocol === 'app:';
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1400,
    height: 880,
    minWidth: 1100,
    minHeight: 700,
    title: 'Run Inspector',
    webPreferences: { preload: path.join(ROOT, 'out', 'preload', 'index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('did-finish-load', () => win && connectWindow(win, null));
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void win.loadURL('app://renderer/index.html');
  win.on('closed', () => (win = null));
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          {
            label: 'Open Store…',
            accelerator: 'CmdOrCtrl+O',
            click: async () => {
              const r = await dialog.showOpenDialog({
                properties: ['openFile'],
                filters: [
                  { name: 'Run stores', extensions: ['db', 'sqlite', 'sqlite3'] },
                  { name: 'All files', extensions: ['*'] },
                ],
              });
              if (!r.canceled && r.filePaths[0]) await openUrl(sqliteUrlForFile(r.filePaths[0]));
            },
          },
          { label: 'Open Recent', submenu: recent.list().map((u) => ({ label: u, click: () => void openUrl(u) })) },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
    ]),
  );
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    for (const url of storeArgs(argv)) void openUrl(url);
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  void app.whenReady().then(async () => {
    recent = new RecentStores(path.join(app.getPath('userData'), 'recent-stores.json'));
    // The app asks for no permission (camera, notifications, clipboard, ...): every request is denied.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    protocol.handle('app', async (request) => {
      const found = resolveRendererFile(RENDERER_DIR, new URL(request.url).pathname);
      if (!found.ok) return new Response(found.reason, { status: found.status });
      const res = await net.fetch(pathToFileURL(found.file).toString());
      const headers = new Headers(res.headers);
      headers.set('content-security-policy', CSP);
      return new Response(res.body, { status: res.status, headers });
    });
    for (const op of frontOperationNames) {
      ipcMain.handle(`ri:${op}`, async (event, input: unknown) =>
        validSender(event) ? front.call(op, input) : { ok: false, error: { className: 'Forbidden', summary: 'unknown sender', context: {}, exitCode: 1 } },
      );
    }
    for (const url of storeArgs(process.argv)) await openUrl(url);
    buildMenu();
    createWindow();
  });
  app.on('window-all-closed', () => {
    void host.close().then(() => app.quit());
  });
}
