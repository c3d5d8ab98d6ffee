/** Saves a run's whole trace (Active Graph's export-trace: JSONL or text) as a file the browser downloads, page by page. */
import { call } from '../../api/transport';
import { useApp } from '../../state/app-store';
import { saveFile } from '../../ui/save-file';

/** Lines per request: each answer stays small, whatever the run's size. */
const PAGE_LINES = 2000;

export async function downloadTrace(runId: string, format: 'jsonl' | 'text'): Promise<void> {
  const { storeId, showError } = useApp.getState();
  if (!storeId) return;
  try {
    // The browser keeps a large Blob's parts out of the page's heap; the host holds one page at a time.
    const parts: string[] = [];
    let after: { seq: number; events: number } | undefined;
    let lines = 0;
    for (;;) {
      const page = await call('exportTrace', { storeId, runId, format, after, maxLines: PAGE_LINES });
      if (page.lines.length) parts.push(page.lines.join('\n') + '\n');
      lines += page.lines.length;
      if (!page.next) break;
      after = page.next;
      useApp.setState({ notice: `Saving the trace of ${runId}: ${lines.toLocaleString('en-US')} lines so far…` });
    }
    saveFile(`trace-${runId}.${format === 'jsonl' ? 'jsonl' : 'txt'}`, parts, format === 'jsonl' ? 'application/x-ndjson' : 'text/plain');
    if (lines > PAGE_LINES) useApp.setState({ notice: `Saved the trace of ${runId}: ${lines.toLocaleString('en-US')} lines.` });
  } catch (err) {
    showError(err);
  }
}
