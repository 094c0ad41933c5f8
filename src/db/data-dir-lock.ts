import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/**
 * One process per embedded data folder. PGlite is one process's database: two processes on one
 * folder each keep their own copy in memory and overwrite each other's files, losing acknowledged
 * writes and breaking unique indexes. The lock is a file beside the folder, created atomically
 * (O_EXCL), holding the owner's pid, host and start time; it is removed on a clean exit, and a lock
 * whose process no longer runs on this host (killed, crashed) is taken over.
 */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export class DataDirLocked extends Error {
  constructor(
    readonly folder: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The data folder ${folder} is in use by process ${owner.pid} on ${owner.hostname} (since ${owner.startedAt}). ` +
        'Stop that process first, or point DATA_DIR at another folder; the embedded database allows one process at a time.',
    );
    this.name = 'DataDirLocked';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? 'unknown') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    // A lock file cut short (the holder died while writing it, or the disk is full) names nobody.
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } catch (error) {
    closeSync(fd);
    unlinkSync(path);
    throw error;
  }
  closeSync(fd);
  return true;
}

/** Takes the lock of `folder` (the file `<folder>.lock`), or throws DataDirLocked naming its holder. */
export function acquireDataDirLock(folder: string): DataDirLock {
  const absolute = resolve(folder);
  const path = `${absolute}.lock`;
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, me)) return holdLock(path, me);
    let owner: LockOwner | null;
    try {
      owner = readOwner(path);
    } catch {
      continue; // released meanwhile: try again
    }
    if (owner && (owner.hostname !== me.hostname || isRunning(owner.pid))) throw new DataDirLocked(absolute, owner);
    // The holder is gone. Moving the stale file aside is atomic, and only one of several processes
    // taking over at once succeeds in it: the others find either no file or the winner's lock.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = (() => {
      try {
        return readOwner(aside);
      } catch {
        return null;
      }
    })();
    if (moved && moved.pid !== owner?.pid) {
      // Between our read and the rename another process took the stale lock over: put its lock
      // back (a link fails rather than replace a lock a third process made meanwhile).
      try {
        linkSync(aside, path);
      } catch {
        // a newer lock is in place
      }
      unlinkSync(aside);
      throw new DataDirLocked(absolute, moved);
    }
    unlinkSync(aside);
  }
  const owner = readOwner(path);
  throw new DataDirLocked(absolute, owner ?? { pid: -1, hostname: 'unknown', startedAt: 'unknown' });
}

function holdLock(path: string, me: LockOwner): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      if (readOwner(path)?.pid === me.pid) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  // A process that exits without closing the database (process.exit in a CLI) still frees the folder.
  process.on('exit', release);
  return { path, release };
}
