/** Saved connections: passwords only under a keyring, never on disk in clear, never to the renderer. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SavedConnections } from '../../src/main/service/saved-connections.js';
import { tempDir } from '../support/fixtures.js';
import { testKeyring } from '../support/keyring.js';

const URL_WITH_PASSWORD = 'postgres://alice:s3cr%40t-pw@db.example:5432/runs';

describe('SavedConnections', () => {
  it('keeps the password sealed by the keyring and restores it only for connecting', () => {
    const file = path.join(tempDir(), 'connections.json');
    const saved = new SavedConnections(file, testKeyring());
    const res = saved.save('prod', URL_WITH_PASSWORD, true);
    expect(res).toEqual({ saved: { name: 'prod', url: 'postgres://alice@db.example:5432/runs', passwordSaved: true }, note: null });
    expect(fs.readFileSync(file, 'utf8')).not.toContain('s3cr');
    expect(JSON.stringify(saved.list())).not.toContain('s3cr');
    expect(saved.connectionUrl('prod')).toBe(URL_WITH_PASSWORD);
  });

  it('without a real keyring, saves the connection without its password and says why', () => {
    const file = path.join(tempDir(), 'connections.json');
    const noKeyring = { ...testKeyring(), availability: () => ({ ok: false as const, reason: 'no real keyring is running' }) };
    for (const saved of [new SavedConnections(file, noKeyring), new SavedConnections(file, null)]) {
      const res = saved.save('prod', URL_WITH_PASSWORD, true);
      expect(res.saved.passwordSaved).toBe(false);
      expect(res.note).toMatch(/^The password was not saved: /);
      expect(fs.readFileSync(file, 'utf8')).not.toContain('s3cr');
      expect(saved.connectionUrl('prod')).toBe('postgres://alice@db.example:5432/runs');
      expect(saved.connectionUrl('prod', 'typed-now')).toBe('postgres://alice:typed-now@db.example:5432/runs');
    }
  });

  it('replaces by name and deletes', () => {
    const saved = new SavedConnections(path.join(tempDir(), 'c.json'), testKeyring());
    saved.save('a', 'postgres://h/one', false);
    saved.save('a', 'postgres://h/two', false);
    expect(saved.list()).toEqual([{ name: 'a', url: 'postgres://h/two', passwordSaved: false }]);
    expect(saved.delete('a')).toBe(true);
    expect(saved.list()).toEqual([]);
  });

  it('never writes or lists a password given as a query parameter', () => {
    const file = path.join(tempDir(), 'connections.json');
    const saved = new SavedConnections(file, null);
    for (const url of ['postgres://db.example/runs?user=alice&password=s3cret', 'postgres://alice:s3cr@t@db.example/runs?sslpassword=s3cret']) {
      const res = saved.save('q', url, false);
      expect(JSON.stringify(res)).not.toContain('s3cr');
      expect(fs.readFileSync(file, 'utf8')).not.toContain('s3cr');
      expect(JSON.stringify(saved.list())).not.toContain('s3cr');
    }
    // A file written by hand with a password in it is still never listed with it.
    fs.writeFileSync(file, JSON.stringify([{ name: 'old', url: 'postgres://bob:hunter2@h/db?password=hunter2' }]));
    expect(JSON.stringify(saved.list())).not.toContain('hunter2');
  });
});
