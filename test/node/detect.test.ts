/** Which runtime wrote a store (formats/detect): the CLI reads every one, refuses an unknown schema, and never writes to another runtime’s store. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';
import { copyOther } from '../support/other-stores.js';

describe('detection', () => {
  it('the CLI inspects and exports the other runtimes too', async () => {
    const { dir } = copyOther('neurocore.db');
    const res = await cli(['export-trace', 'sqlite:///neurocore.db', '--run-id', (await (await openStore(`sqlite:///${dir}/neurocore.db`)).listRuns())[0]!.run_id], dir);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('step.completed');
    const { dir: d2 } = copyOther('dir_core.db');
    const ins = await cli(['inspect', 'sqlite:///dir_core.db', '--json'], d2);
    expect(ins.code).toBe(0);
  });

  it('a schema no adapter knows is refused with how much was found (never the names) and what is supported', async () => {
    const url = await freshDatabase('unknown');
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('CREATE TABLE invoices (id int); CREATE TABLE customers (id int)');
    await c.end();
    const res = await cli(['inspect', url, '--json'], tempDir());
    expect(res.code).toBe(4);
    expect(res.stderr).toContain('It has 2 tables, none of them a supported event log.');
    expect(res.stderr).not.toMatch(/customers|invoices/);
    expect(res.stderr).toContain('Graphite');
    expect(res.stderr).toContain('NeuroCore');
    expect(res.stderr).toContain('dir-core 0.2');
  });
});

describe('read only', () => {
  it('fork and migrate refuse other runtimes before touching any destination', async () => {
    const { dir } = copyOther('neurocore.db');
    const run = (await (await openStore(`sqlite:///${dir}/neurocore.db`)).listRuns())[0]!.run_id;
    const fork = await cli(['fork', 'sqlite:///neurocore.db', '--run-id', run, '--at-event', 'step.0', '--to', 'sqlite:///out.db'], dir);
    expect(fork.code).toBe(2);
    expect(fork.stderr).toMatch(/^UnsupportedOperation: fork works on Active Graph stores; this is a NeuroCore store/);
    const mig = await cli(['migrate', '--from', 'sqlite:///neurocore.db', '--to', 'sqlite:///out.db'], dir);
    expect(mig.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'out.db'))).toBe(false);
  });
});
