/** Open a store by URL: a SQLite file (sqlite:////abs/path.db) or a Postgres URL (or its fields). */
import { useState } from 'react';
import { isElectron } from '../api/transport';
import { useApp } from '../state/app-store';

export function OpenStoreDialog() {
  const { openStore, setShowOpen } = useApp();
  const [url, setUrl] = useState('');
  const [pg, setPg] = useState({ host: '127.0.0.1', port: '5432', database: '', user: '', password: '' });
  const fromFields = () =>
    `postgres://${encodeURIComponent(pg.user)}${pg.password ? ':' + encodeURIComponent(pg.password) : ''}${pg.user ? '@' : ''}${pg.host}:${pg.port}/${encodeURIComponent(pg.database)}`;
  return (
    <div className="modal-backdrop" onClick={() => setShowOpen(false)}>
      <div className="modal" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="Open store">
        <h3>Open a store</h3>
        <label>
          Store URL
          <input
            autoFocus
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="sqlite:////home/me/run.db  or  postgres://user@host/db"
            onKeyDown={(e) => e.key === 'Enter' && url && void openStore(url.trim())}
            aria-label="store URL"
          />
        </label>
        <p className="muted small">
          Three slashes mean a relative path, four an absolute one.{' '}
          {isElectron ? 'You can also use File › Open or drop a .db file on the window.' : 'In browser mode, paths are on the machine running run-inspector serve.'}
        </p>
        <button className="primary" disabled={!url.trim()} onClick={() => void openStore(url.trim())}>
          Open
        </button>
        <h4>…or connect to Postgres</h4>
        <div className="pg-fields">
          {(['host', 'port', 'database', 'user', 'password'] as const).map((k) => (
            <label key={k}>
              {k}
              <input type={k === 'password' ? 'password' : 'text'} value={pg[k]} onChange={(e) => setPg({ ...pg, [k]: e.target.value })} aria-label={`postgres ${k}`} />
            </label>
          ))}
        </div>
        <p className="muted small">The password is used for this connection only; it is never shown or saved in recent stores.</p>
        <div className="buttons">
          <button disabled={!pg.database} onClick={() => void openStore(fromFields())}>
            Connect
          </button>
          <button onClick={() => setShowOpen(false)}>Cancel</button>
        </div>
      </div>
    </div>
  );
}
