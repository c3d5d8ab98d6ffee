/** Saves a run's trace (Active Graph's export-trace: JSONL or text) as a file the browser downloads. */
import { call } from '../../api/transport';
import { useApp } from '../../state/app-store';

const MAX_LINES = 100_000;

export async function downloadTrace(runId: string, format: 'jsonl' | 'text'): Promise<void> {
  const { storeId, stores, showError } = useApp.getState();
  if (!storeId) return;
  const url = stores.find((s) => s.storeId === storeId)?.url ?? '<store>';
  try {
    const { lines, truncated } = await call('exportTrace', { storeId, runId, format, maxLines: MAX_LINES });
    const blob = new Blob([lines.join('\n') + '\n'], { type: format === 'jsonl' ? 'application/x-ndjson' : 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `trace-${runId}.${format === 'jsonl' ? 'jsonl' : 'txt'}`;
    a.click();
    URL.revokeObjectURL(a.href);
    if (truncated)
      useApp.setState({
        notice: `The saved trace holds the first ${MAX_LINES.toLocaleString('en-US')} lines of the run; for all of it: run-inspector export-trace ${url} --run-id ${runId}${format === 'jsonl' ? ' --format jsonl' : ''}`,
      });
  } catch (err) {
    showError(err);
  }
}
