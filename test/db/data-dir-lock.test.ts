import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { DataDirectoryLockedError } from '../../src/core/errors';
import { runCli } from '../helpers/cli';

// The lock guards the embedded database's directory, so this runs on PGlite in both test modes.
const dir = mkdtempSync(join(tmpdir(), 'mdm-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded data directory lock', () => {
  it('refuses a second process with a clear message and exit 1, and frees the directory on close', async () => {
    const database = await openDatabase({ dataDir: dir });
    try {
      const second = await runCli(['migrate'], { MDM_DATA_DIR: dir, DATABASE_URL: '' });
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toBe(`mdm: data directory ${dir} is in use by process ${process.pid}; stop it or set MDM_DATA_DIR`);
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirectoryLockedError);
    } finally {
      await database.close();
    }
    const after = await runCli(['migrate'], { MDM_DATA_DIR: dir, DATABASE_URL: '' });
    expect(after.code).toBe(0);
  });

  it('leaves no exit listener behind when the database is closed (a process may open it many times)', async () => {
    const before = process.listenerCount('exit');
    for (let i = 0; i < 12; i++) await (await openDatabase({ dataDir: dir })).close();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    writeFileSync(join(dir, 'mdm.lock'), '999999999');
    const database = await openDatabase({ dataDir: dir });
    await database.close();
  });
});
