/** Saves a run as OpenTelemetry traces (OTLP JSON lines, one request of spans a line), asked part by part. */
import { call } from '../../api/transport';
import { useApp } from '../../state/app-store';
import { saveFile } from '../../ui/save-file';

export async function downloadOtlp(runId: string): Promise<void> {
  const { storeId, showError } = useApp.getState();
  if (!storeId) return;
  try {
    const parts: string[] = [];
    let exportId: string | undefined;
    for (;;) {
      const page = await call('exportOtlp', { storeId, runId, exportId });
      exportId = page.exportId;
      if (page.line !== null) parts.push(page.line + '\n');
      if (page.done) {
        saveFile(`trace-${runId}.otlp.jsonl`, parts, 'application/x-ndjson');
        useApp.setState({ notice: `Saved ${runId} as OpenTelemetry traces: ${page.spans.toLocaleString('en-US')} spans, ${page.spanEvents.toLocaleString('en-US')} span events.` });
        return;
      }
      useApp.setState({ notice: `Saving ${runId} as OpenTelemetry traces: ${page.spans.toLocaleString('en-US')} spans so far…` });
    }
  } catch (err) {
    showError(err);
  }
}
