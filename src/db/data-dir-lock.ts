import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirectoryLockedError } from '../core/errors';

/**
 * An exclusive lock on the embedded data directory, held for the life of the process.
 *
 * PGlite has no lock of its own: two processes on one directory silently lose committed rows.
 * The lock is a file created with O_EXCL holding the owner's pid; a lock whose owner is gone is
 * taken over.
 *
 * @example
 * ```ts
 * const lock = acquireDataDirLock('./.mdm'); // throws DataDirectoryLockedError if held
 * lock.release();
 * ```
 */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

const LOCK_FILE = 'mdm.lock';

/** Lock files held by this process: a second open in the same process is refused too. */
const heldHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string, displayDir = dataDir): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      heldHere.add(path);
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        heldHere.delete(path);
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = Number.NaN;
      try {
        owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      } catch {
        // vanished between open and read: retry
      }
      const ownerHoldsIt = owner === process.pid ? heldHere.has(path) : Number.isInteger(owner) && owner > 0 && processAlive(owner);
      if (ownerHoldsIt) throw new DataDirectoryLockedError(displayDir, owner);
      // Stale lock: its owner is gone, or it names this pid but was left by an earlier process.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}; remove it if no hub process is running`);
}
