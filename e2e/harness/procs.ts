// Process plumbing for the e2e harness: free ports, child processes in their own process group that are
// killed by group (and by a watchdog if this Node process dies without cleaning up), HTTP readiness polls.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Ports this process handed out: never handed out twice (the kernel can repeat a just-released port). */
const handedOut = new Set<number>();

function bindZero(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** A TCP port that was free a moment ago (bound to port 0 on loopback, then released). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const port = await bindZero(host);
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A loopback port nothing listens on: connecting to it is refused (ECONNREFUSED). */
export const closedPort = freePort;

export interface GroupProcess {
  name: string;
  pid: number;
  /** The detached shell that kills this group if the harness process dies. */
  watchdogPid: number;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Last lines of the log, for error messages. */
  tail(lines?: number): string;
}

const live = new Map<number, { name: string; cleanupDirs: string[] }>();
let exitHookInstalled = false;

function killGroupSync(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** On any exit of this Node process, SIGKILL every group still registered and remove their temp dirs. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [pid, info] of live) {
      killGroupSync(pid, 'SIGKILL');
      for (const dir of info.cleanupDirs) fs.rmSync(dir, { recursive: true, force: true });
    }
    live.clear();
  });
}

// A detached shell that outlives a SIGKILLed parent: when the parent is gone it kills the group and removes
// the dirs. It exits by itself as soon as the group is gone, so a normal stop() leaves nothing behind.
const WATCHDOG = `
parent=$1; pgid=$2; shift 2
while kill -0 "$parent" 2>/dev/null && kill -0 "-$pgid" 2>/dev/null; do sleep 1; done
if kill -0 "-$pgid" 2>/dev/null; then
  kill -TERM "-$pgid" 2>/dev/null; sleep 2; kill -KILL "-$pgid" 2>/dev/null
  for d in "$@"; do rm -rf "$d"; done
fi
`;

function startWatchdog(pgid: number, dirs: string[]): number {
  const w = spawn('/bin/sh', ['-c', WATCHDOG, 'e2e-watchdog', String(process.pid), String(pgid), ...dirs], {
    detached: true,
    stdio: 'ignore',
  });
  w.unref();
  return w.pid ?? 0;
}

/** Ends a watchdog early (it would exit by itself within a second of its group's end). */
export function stopWatchdog(pid: number): void {
  if (!pid) return;
  try {
    if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('e2e-watchdog')) process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Directories to delete if this process has to be killed on an unclean exit. */
  cleanupDirs?: string[];
}

/** Starts a process in its own process group, stdout+stderr to `logFile`. */
export function spawnGroup(opts: SpawnOptions): GroupProcess {
  installExitHook();
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new Error(`${opts.name}: could not start ${opts.command}`);
  const pid = child.pid;
  child.unref();
  live.set(pid, { name: opts.name, cleanupDirs: opts.cleanupDirs ?? [] });
  const watchdogPid = startWatchdog(pid, opts.cleanupDirs ?? []);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
    });
    child.on('error', (e) => resolve(`spawn error: ${e.message}`));
  });
  const tail = (lines = 30) => {
    try {
      return fs.readFileSync(opts.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const stop = async (graceMs = 5000) => {
    if (killGroupSync(pid, 'SIGTERM')) {
      const deadline = Date.now() + graceMs;
      while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
      if (groupAlive(pid)) killGroupSync(pid, 'SIGKILL');
      while (groupAlive(pid)) await sleep(20);
    }
    live.delete(pid);
    stopWatchdog(watchdogPid);
  };
  return { name: opts.name, pid, watchdogPid, child, logFile: opts.logFile, exited, stop, tail };
}

/** Kills a process group started by an earlier run (pid from .cache/e2e-run.json); no-op if gone. */
export async function killGroup(pid: number, graceMs = 5000): Promise<void> {
  live.delete(pid);
  if (!killGroupSync(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pid)) killGroupSync(pid, 'SIGKILL');
  for (let i = 0; i < 100 && groupAlive(pid); i++) await sleep(20);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `url` until it answers 2xx; fails early if `proc` exits. */
export async function waitForHttp(url: string, proc: GroupProcess, timeoutMs = 20000): Promise<void> {
  let exitInfo: number | string | undefined;
  void proc.exited.then((c) => (exitInfo = c));
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (exitInfo !== undefined) {
      throw new Error(`${proc.name} exited (${exitInfo}) before ${url} answered. Log ${proc.logFile}:\n${proc.tail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${proc.name}: ${url} did not answer within ${timeoutMs} ms (${last}). Log ${proc.logFile}:\n${proc.tail()}`);
}
