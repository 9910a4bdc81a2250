// Exclusive ownership of a data directory: a lock file holding the owner's pid, created with O_EXCL.
import fs from 'node:fs';
import path from 'node:path';

export interface DirLock {
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `Data directory ${dir} is in use by process ${pid}. Stop that process, or set DOCSTORE_DATA_DIR to another ` +
        'directory. (Two processes on one embedded database would lose data.)',
    );
    this.name = 'DataDirInUseError';
  }
}

const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDirLock(dir: string): DirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'docstore.lock');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      heldHere.add(file);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldHere.delete(file);
          fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      // Our own pid in a file this process does not hold is a leftover from a previous run in the same container.
      const ownedElsewhere = pid === process.pid ? heldHere.has(file) : isAlive(pid);
      if (Number.isInteger(pid) && ownedElsewhere) throw new DataDirInUseError(dir, pid);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock data directory ${dir}`);
}
