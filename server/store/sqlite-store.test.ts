import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION } from './migrations.js';
import { DATABASE_FILE, SqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bpflab-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  it('keeps the data dir 0700 and the database with its -wal and -shm 0600, fixing older modes', async () => {
    const mode = (file: string) => statSync(file).mode & 0o777;
    const fresh = tempDir();
    const store = new SqliteStore(fresh);
    await store.saveLabFiles('alice', 'hello-execve', { 'prog.bpf.c': 'v1' });
    for (const suffix of ['', '-wal', '-shm'])
      expect(mode(path.join(fresh, DATABASE_FILE + suffix))).toBe(0o600);
    await store.close();

    const old = tempDir();
    chmodSync(old, 0o755);
    for (const suffix of ['', '-wal', '-shm']) {
      writeFileSync(path.join(old, DATABASE_FILE + suffix), '', { mode: 0o644 });
    }
    rmSync(path.join(old, `${DATABASE_FILE}-wal`));
    rmSync(path.join(old, `${DATABASE_FILE}-shm`));
    writeFileSync(path.join(old, `${DATABASE_FILE}-shm`), '', { mode: 0o666 });
    const reopened = new SqliteStore(old);
    await reopened.touchLearner('bob');
    expect(mode(old)).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm'])
      expect(mode(path.join(old, DATABASE_FILE + suffix))).toBe(0o600);
    await reopened.close();
  });

  it('keeps lab files per learner and lab, replacing them on each save, across reopening', async () => {
    const dir = tempDir();
    const store = new SqliteStore(dir);
    await store.saveLabFiles('alice', 'hello-execve', { 'prog.bpf.c': 'v1' });
    await store.saveLabFiles('alice', 'hello-execve', { 'prog.bpf.c': 'v2', 'prog.h': 'h' });
    await store.saveLabFiles('bob', 'hello-execve', { 'prog.bpf.c': 'bob' });
    await store.close();

    const reopened = new SqliteStore(dir);
    expect(await reopened.loadLabFiles('alice', 'hello-execve')).toEqual({
      'prog.bpf.c': 'v2',
      'prog.h': 'h',
    });
    expect(await reopened.loadLabFiles('bob', 'hello-execve')).toEqual({ 'prog.bpf.c': 'bob' });
    expect(await reopened.loadLabFiles('alice', 'other-lab')).toBeNull();
    await reopened.close();
  });

  it('names the lab each learner last saved, whichever lab was saved first', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = new SqliteStore(tempDir());
      expect(await store.lastWorkedOn('alice')).toBeNull();
      vi.setSystemTime(1_000);
      await store.saveLabFiles('alice', 'hello-execve', { 'prog.bpf.c': 'v1' });
      vi.setSystemTime(2_000);
      await store.saveLabFiles('alice', 'udp-flow-counter', { 'flows.bpf.c': 'v1' });
      vi.setSystemTime(3_000);
      await store.saveLabFiles('bob', 'perf-sampling', { 'samples.bpf.c': 'bob' });
      expect(await store.lastWorkedOn('alice')).toEqual({ labId: 'udp-flow-counter', at: 2_000 });

      // Going back to an earlier lab makes it the last one again.
      vi.setSystemTime(4_000);
      await store.saveLabFiles('alice', 'hello-execve', { 'prog.bpf.c': 'v2' });
      expect(await store.lastWorkedOn('alice')).toEqual({ labId: 'hello-execve', at: 4_000 });
      expect(await store.lastWorkedOn('bob')).toEqual({ labId: 'perf-sampling', at: 3_000 });
      await store.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('derives progress from attempts: count, best score, latest max score, passed once', async () => {
    const store = new SqliteStore(tempDir());
    await store.recordAttempt('alice', 'hello-execve', {
      score: 3,
      maxScore: 10,
      passed: false,
      checksPassed: ['compile'],
    });
    await store.recordAttempt('alice', 'hello-execve', {
      score: 10,
      maxScore: 10,
      passed: true,
      checksPassed: ['compile', 'load'],
    });
    await store.recordAttempt('alice', 'hello-execve', {
      score: 4,
      maxScore: 12,
      passed: false,
      checksPassed: [],
    });
    await store.recordAttempt('alice', 'verifier-null-check', {
      score: 0,
      maxScore: 5,
      passed: false,
      checksPassed: [],
    });
    await store.recordAttempt('bob', 'hello-execve', {
      score: 1,
      maxScore: 10,
      passed: false,
      checksPassed: [],
    });

    const own = { solutionShown: false, passedOnOwn: true };
    expect(await store.progress('alice')).toEqual({
      'hello-execve': { attempts: 3, bestScore: 10, maxScore: 12, passed: true, ...own },
      'verifier-null-check': {
        attempts: 1,
        bestScore: 0,
        maxScore: 5,
        passed: false,
        solutionShown: false,
        passedOnOwn: false,
      },
    });
    expect(await store.progress('nobody')).toEqual({});
    await store.close();
  });

  it("counts a pass as the learner's own only when it came before the solution was first shown", async () => {
    const dir = tempDir();
    const store = new SqliteStore(dir);
    const fail = { score: 2, maxScore: 8, passed: false, checksPassed: ['compile'] };
    const pass = { score: 8, maxScore: 8, passed: true, checksPassed: ['compile', 'load'] };
    // alice passes, then looks at the solution: still her own pass.
    await store.recordAttempt('alice', 'hello-execve', pass);
    await store.recordSolutionShown('alice', 'hello-execve');
    // bob fails, is shown the solution, then passes: with the solution shown, and it stays so
    // after he is shown it again.
    await store.recordAttempt('bob', 'hello-execve', fail);
    await store.recordSolutionShown('bob', 'hello-execve');
    await store.recordAttempt('bob', 'hello-execve', pass);
    await store.recordSolutionShown('bob', 'hello-execve');
    // carol is shown the solution before any attempt (a lab that always shows it).
    await store.recordSolutionShown('carol', 'hello-execve');
    await store.close();

    const reopened = new SqliteStore(dir);
    expect((await reopened.progress('alice'))['hello-execve']).toEqual({
      attempts: 1,
      bestScore: 8,
      maxScore: 8,
      passed: true,
      solutionShown: true,
      passedOnOwn: true,
    });
    expect((await reopened.progress('bob'))['hello-execve']).toEqual({
      attempts: 2,
      bestScore: 8,
      maxScore: 8,
      passed: true,
      solutionShown: true,
      passedOnOwn: false,
    });
    expect(await reopened.progress('carol')).toEqual({
      'hello-execve': {
        attempts: 0,
        bestScore: 0,
        maxScore: 0,
        passed: false,
        solutionShown: true,
        passedOnOwn: false,
      },
    });
    await reopened.recordAttempt('carol', 'hello-execve', pass);
    expect((await reopened.progress('carol'))['hello-execve']).toMatchObject({
      attempts: 1,
      passed: true,
      passedOnOwn: false,
    });
    await reopened.close();
  });

  it('runs in WAL mode at the current schema version', async () => {
    const dir = tempDir();
    const store = new SqliteStore(dir);
    await store.touchLearner('alice');
    await store.close();
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT id FROM learners').all()).toEqual([{ id: 'alice' }]);
    db.close();
  });

  it('refuses a database from a newer bpflab instead of corrupting it', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteStore(dir)).toThrow(/newer than this bpflab knows/);
  });
});
