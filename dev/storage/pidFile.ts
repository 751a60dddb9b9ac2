/**
 * Pid files under .data/: who holds the local data folder. Created exclusively, so of two processes
 * racing for it exactly one wins; a file whose process is gone (killed) is stale and may be taken
 * over.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PidFileContent {
  readonly pid: number;
  /** The process that started this one (the storage process records its app). */
  readonly parentPid?: number;
  readonly port?: number;
  readonly startedAt: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * Linux: an exited process nobody has reaped yet still answers kill(pid, 0). A storage process whose
 * app was killed is reparented, and in a container whose first process does not reap, it stays so.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc (macOS, Windows) or already gone
  }
}

export function readPidFile(file: string): PidFileContent | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<PidFileContent>;
    if (typeof parsed.pid === 'number') return parsed as PidFileContent;
  } catch {
    // Not ours to interpret (edited by hand): treated as stale.
  }
  return undefined;
}

/**
 * Takes the pid file for this process. Returns the live holder instead when another running process
 * has it; a stale file (dead pid, unreadable content) is removed and taken over.
 */
export function acquirePidFile(file: string, content: Omit<PidFileContent, 'pid' | 'startedAt'> = {}): { acquired: true } | { acquired: false; holder: PidFileContent } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written aside, then hard-linked into place: the link fails if the file exists, and a reader
    // never sees a half-written file.
    const aside = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(aside, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), ...content }));
    try {
      fs.linkSync(aside, file);
      return { acquired: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(aside);
    }
    const holder = readPidFile(file);
    if (holder !== undefined && holder.pid !== process.pid && isAlive(holder.pid)) return { acquired: false, holder };
    removePidFile(file, holder?.pid);
  }
  throw new Error(`Could not take ${file}: it keeps being recreated by another process.`);
}

/** Removes the pid file if it (still) names `pid` (or whatever it holds, when pid is omitted). */
export function removePidFile(file: string, pid?: number): void {
  if (pid !== undefined) {
    const holder = readPidFile(file);
    if (holder !== undefined && holder.pid !== pid) return;
  }
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Resolves once no live process holds the file (polling), or rejects after `timeoutMs`. */
export async function waitUntilFree(file: string, timeoutMs: number, onWait?: (holder: PidFileContent) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const holder = readPidFile(file);
    if (holder === undefined || !isAlive(holder.pid)) return;
    if (!told) {
      onWait?.(holder);
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`${file}: process ${holder.pid} still holds it after ${Math.round(timeoutMs / 1000)} s.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
