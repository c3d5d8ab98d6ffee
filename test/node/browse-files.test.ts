/** browse-files: browser mode's file picker lists a real folder, stores found by their header. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browseFolder } from '../../src/main/service/browse-files.js';
import { FIXTURES, tempDir } from '../support/fixtures.js';

describe('browseFolder', () => {
  it('lists folders first, then files by name, marking SQLite databases and JSONL traces by their first bytes whatever their name', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'runs'));
    fs.copyFileSync(path.join(FIXTURES, 'demo.db'), path.join(dir, 'agent-store')); // a store without an extension
    fs.writeFileSync(path.join(dir, 'notes.db'), 'not a database'); // a .db that is not one
    fs.writeFileSync(path.join(dir, 'sink.log'), '{"id": "evt_001", "type": "goal.created", "payload": {}}\n'); // a JSONL trace, whatever its name
    fs.symlinkSync(path.join(dir, 'runs'), path.join(dir, 'link-to-runs'));
    const listing = await browseFolder(dir);
    expect(listing.dir).toBe(dir);
    expect(listing.parent).toBe(path.dirname(dir));
    expect(listing.truncated).toBe(false);
    expect(listing.entries.map((e) => [e.name, e.folder, e.sqlite, e.trace])).toEqual([
      ['link-to-runs', true, false, false],
      ['runs', true, false, false],
      ['agent-store', false, true, false],
      ['notes.db', false, false, false],
      ['sink.log', false, false, true],
    ]);
    expect(listing.entries.find((e) => e.name === 'agent-store')!.size).toBe(fs.statSync(path.join(FIXTURES, 'demo.db')).size);
    expect(listing.entries[1]!.path).toBe(path.join(dir, 'runs'));
  });

  it('the root has no parent', async () => {
    expect((await browseFolder('/')).parent).toBeNull();
  });

  it('a missing folder or a file is refused with what to do instead', async () => {
    const dir = tempDir();
    await expect(browseFolder(path.join(dir, 'gone'))).rejects.toThrow(/cannot list .*gone: there is no such folder.*type the store's path/);
    fs.writeFileSync(path.join(dir, 'f'), '');
    await expect(browseFolder(path.join(dir, 'f'))).rejects.toThrow(/it is a file, not a folder/);
  });
});
