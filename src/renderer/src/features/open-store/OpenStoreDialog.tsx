/** Open a store: a URL, a Postgres connection (fields), or a saved connection. */
import { useEffect, useState } from 'react';
import { isElectron, type ApiError } from '../../api/transport';
import { ErrorView } from '../../ui/ErrorView';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app-store';
import { FileBrowser } from './FileBrowser';
import { Dialog } from '../../ui/Dialog';

/** The folder of the SQLite store shown, where a picker starts (a user's next store is most often beside it). */
function folderOfShownStore(): string | undefined {
  const { stores, storeId } = useApp.getState();
  const shown = stores.find((s) => s.storeId === storeId);
  if (shown?.driver !== 'sqlite' || !shown.url.startsWith('sqlite:///')) return undefined;
  const file = shown.url.slice('sqlite:///'.length).replace(/^\/\//, '/');
  const cut = file.lastIndexOf('/');
  return cut > 0 ? file.slice(0, cut) : undefined;
}

export function OpenStoreDialog() {
  const { openStore, setShowOpen, saved, loadConnections, saveConnection, forgetConnection, openSavedConnection } = useApp(
    useShallow((s) => ({
      openStore: s.openStore,
      setShowOpen: s.setShowOpen,
      saved: s.savedConnections,
      loadConnections: s.loadConnections,
      saveConnection: s.saveConnection,
      forgetConnection: s.forgetConnection,
      openSavedConnection: s.openSavedConnection,
    })),
  );
  const [url, setUrl] = useState(() => useApp.getState().openPrefill ?? '');
  const [pg, setPg] = useState({ host: '127.0.0.1', port: '5432', database: '', user: '', password: '' });
  const [saveAs, setSaveAs] = useState('');
  const [savePassword, setSavePassword] = useState(false);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [browsing, setBrowsing] = useState(false);

  useEffect(() => void loadConnections(), [loadConnections]);

  const fromFields = () =>
    `postgres://${encodeURIComponent(pg.user)}${pg.password ? ':' + encodeURIComponent(pg.password) : ''}${pg.user ? '@' : ''}${pg.host}:${pg.port}/${encodeURIComponent(pg.database)}`;

  const connectFields = async () => {
    const target = fromFields();
    if (saveAs.trim()) setError(await saveConnection(saveAs.trim(), target, savePassword));
    setError(await openStore(target, true));
  };

  const openSaved = async (name: string) => setError(await openSavedConnection(name, typed[name] || undefined));

  return (
    <Dialog label="Open store" onClose={() => setShowOpen(false)}>
      <h3>Open a store</h3>
      {error && <ErrorView error={error} onClose={() => setError(null)} />}
      <label>
        Store URL
        <input
          autoFocus
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="sqlite:////home/me/run.db  or  postgres://user@host/db"
          onKeyDown={(e) => e.key === 'Enter' && url && void openStore(url.trim(), true).then(setError)}
          aria-label="store URL"
        />
      </label>
      <p className="muted small">
        Three slashes mean a relative path, four an absolute one.{' '}
        {isElectron
          ? 'You can also use File › Open or drop a .db file on the window.'
          : 'In browser mode, paths are on the machine running run-inspector serve; a file dropped on the page is opened as a copy.'}
      </p>
      <div className="buttons">
        <button className="primary" disabled={!url.trim()} onClick={() => void openStore(url.trim(), true).then(setError)}>
          Open
        </button>
        {!isElectron && (
          <button onClick={() => setBrowsing(!browsing)} aria-expanded={browsing}>
            Browse…
          </button>
        )}
      </div>
      {browsing && <FileBrowser start={folderOfShownStore()} onOpen={(file) => void openStore(`sqlite:///${file}`, true).then(setError)} />}
      {saved.length > 0 && (
        <>
          <h4>Saved connections</h4>
          <ul className="saved" data-testid="saved-connections">
            {saved.map((c) => (
              <li key={c.name}>
                <b>{c.name}</b> <span className="muted small">{c.url}</span>
                {!c.passwordSaved && (
                  <input
                    type="password"
                    placeholder="password"
                    value={typed[c.name] ?? ''}
                    onChange={(e) => setTyped({ ...typed, [c.name]: e.target.value })}
                    aria-label={`password for ${c.name}`}
                  />
                )}
                <button onClick={() => void openSaved(c.name)}>Connect</button>
                <button className="link" onClick={() => void forgetConnection(c.name)}>
                  forget
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>…or connect to Postgres</h4>
      <div className="pg-fields">
        {(['host', 'port', 'database', 'user', 'password'] as const).map((k) => (
          <label key={k}>
            {k}
            <input type={k === 'password' ? 'password' : 'text'} value={pg[k]} onChange={(e) => setPg({ ...pg, [k]: e.target.value })} aria-label={`postgres ${k}`} />
          </label>
        ))}
        <label>
          save as
          <input value={saveAs} onChange={(e) => setSaveAs(e.target.value)} placeholder="(not saved)" aria-label="save connection as" />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={savePassword} onChange={(e) => setSavePassword(e.target.checked)} aria-label="save password" /> save the password in the OS keyring (only
        where one exists; never in plain text)
      </label>
      <div className="buttons">
        <button disabled={!pg.database} onClick={() => void connectFields()}>
          Connect
        </button>
        <button onClick={() => setShowOpen(false)}>Cancel</button>
      </div>
    </Dialog>
  );
}
