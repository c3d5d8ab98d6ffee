/** A collapsible JSON tree with copy buttons (whole value or any subtree). */
import { useState } from 'react';

function copy(value: unknown): void {
  void navigator.clipboard?.writeText(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

export function CopyButton({ value, label = 'copy' }: { value: unknown; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      className="copy"
      onClick={(e) => {
        e.stopPropagation();
        copy(value);
        setDone(true);
        setTimeout(() => setDone(false), 1000);
      }}
      title="Copy to clipboard"
    >
      {done ? 'copied' : label}
    </button>
  );
}

export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const [open, setOpen] = useState(depth < 2);
  const isContainer = value !== null && typeof value === 'object';
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (!isContainer) {
    const cls = value === null ? 'json-null' : `json-${typeof value}`;
    const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
    return (
      <div className="json-leaf">
        {label}
        <span className={cls}>{typeof value === 'string' && value.includes('\n') ? <pre className="json-multiline">{value}</pre> : text}</span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const [openB, closeB] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="json-node">
      <span className="json-toggle" onClick={() => setOpen(!open)} role="button" aria-expanded={open}>
        {open ? '▾' : '▸'} {label}
        {openB}
        {!open && (
          <span className="json-more">
            {entries.length} {Array.isArray(value) ? 'items' : 'keys'}
          </span>
        )}
        {!open && closeB}
      </span>
      {depth > 0 && <CopyButton value={value} />}
      {open && (
        <div className="json-children">
          {entries.map(([k, v]) => (
            <JsonTree key={k} name={k} value={v} depth={depth + 1} />
          ))}
          <div>{closeB}</div>
        </div>
      )}
    </div>
  );
}
