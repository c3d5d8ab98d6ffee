/**
 * Browser mode's file picker: a page cannot show the OS's dialog for the serving machine's files,
 * so the data host lists its folders. SQLite databases (found by their header) open with a click;
 * other files are listed, greyed, so a folder reads as it is.
 */
import { useState } from 'react';
import { useView } from '../../state/use-view';
import { bytes } from '../../ui/format';
import { ErrorView } from '../../ui/ErrorView';

export function FileBrowser({ start, onOpen }: { start: string | undefined; onOpen(path: string): void }) {
  const [dir, setDir] = useState(start);
  const { data: listing, error, loading } = useView('files', 'browseFiles', dir ? { dir } : {}, { quiet: true });
  return (
    <div className="file-browser" data-testid="file-browser">
      {error && <ErrorView error={error} />}
      <div className="file-browser-dir">
        <button disabled={!listing?.parent} onClick={() => listing?.parent && setDir(listing.parent)} aria-label="parent folder" title="Parent folder">
          ↑
        </button>{' '}
        <code>{listing?.dir ?? dir ?? '~'}</code>
        {loading && <span className="muted small"> listing…</span>}
      </div>
      <ul role="listbox" aria-label="files">
        {listing?.entries.map((e) => (
          <li key={e.path}>
            <button
              className={e.folder ? 'folder' : e.sqlite || e.trace ? 'store' : 'other'}
              disabled={!e.folder && !e.sqlite && !e.trace}
              title={e.folder ? 'Open the folder' : e.sqlite ? 'Open this store' : e.trace ? 'Open this JSONL trace (read-only)' : 'Not a SQLite database or JSONL trace'}
              onClick={() => (e.folder ? setDir(e.path) : onOpen(e.path))}
            >
              {e.name}
              {e.folder ? '/' : ''}
              {e.sqlite && <span className="badge">SQLite</span>}
              {e.trace && <span className="badge">JSONL</span>}
              {e.size !== null && <span className="muted small"> {bytes(e.size)}</span>}
            </button>
          </li>
        ))}
        {listing && listing.entries.length === 0 && <li className="muted small">This folder is empty.</li>}
      </ul>
      {listing?.truncated && <p className="muted small">Only the first {listing.entries.length} entries are listed: type the path in the URL box.</p>}
    </div>
  );
}
