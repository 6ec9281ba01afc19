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
      files: {},
    });
    await store.recordAttempt('alice', 'hello-execve', {
      score: 10,
      maxScore: 10,
      passed: true,
      checksPassed: ['compile', 'load'],
      files: {},
    });
    await store.recordAttempt('alice', 'hello-execve', {
      score: 4,
      maxScore: 12,
      passed: false,
      checksPassed: [],
      files: {},
    });
    await store.recordAttempt('alice', 'verifier-null-check', {
      score: 0,
      maxScore: 5,
      passed: false,
      checksPassed: [],
      files: {},
    });
    await store.recordAttempt('bob', 'hello-execve', {
      score: 1,
      maxScore: 10,
      passed: false,
      checksPassed: [],
      files: {},
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
    const fail = { score: 2, maxScore: 8, passed: false, checksPassed: ['compile'], files: {} };
    const pass = { score: 8, maxScore: 8, passed: true, checksPassed: ['compile', 'load'], files: {} };
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

  it('keeps the display name a learner chose, and clears it back to anonymous', async () => {
    const dir = tempDir();
    const store = new SqliteStore(dir);
    expect(await store.displayName('alice')).toBeNull();
    await store.setDisplayName('alice', 'Alice A.');
    await store.close();
    const reopened = new SqliteStore(dir);
    expect(await reopened.displayName('alice')).toBe('Alice A.');
    await reopened.setDisplayName('alice', null);
    expect(await reopened.displayName('alice')).toBeNull();
    await reopened.close();
  });

  it('lists every learner who worked or named themselves, with each lab and its last activity', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = new SqliteStore(tempDir());
      const attempt = { score: 3, maxScore: 10, passed: false, checksPassed: ['compile'], files: {} };
      vi.setSystemTime(1_000);
      await store.touchLearner('visitor');
      await store.recordAttempt('alice', 'hello-execve', attempt);
      vi.setSystemTime(2_000);
      await store.saveLabFiles('alice', 'udp-flow-counter', { 'flows.bpf.c': 'draft' });
      vi.setSystemTime(3_000);
      await store.recordSolutionShown('alice', 'hello-execve');
      await store.setDisplayName('bob', 'Bob');

      expect(await store.everyLearner()).toEqual([
        {
          learnerId: 'alice',
          displayName: null,
          labs: {
            'hello-execve': {
              attempts: 1,
              bestScore: 3,
              maxScore: 10,
              passed: false,
              solutionShown: true,
              passedOnOwn: false,
              lastActivityAt: 3_000,
            },
            // Only saved: in the list, not attempted yet.
            'udp-flow-counter': {
              attempts: 0,
              bestScore: 0,
              maxScore: 0,
              passed: false,
              solutionShown: false,
              passedOnOwn: false,
              lastActivityAt: 2_000,
            },
          },
        },
        { learnerId: 'bob', displayName: 'Bob', labs: {} },
      ]);
      await store.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the files each Check graded, and answers the latest attempt with them', async () => {
    const store = new SqliteStore(tempDir());
    expect(await store.lastAttempt('alice', 'hello-execve')).toBeNull();
    await store.recordAttempt('alice', 'hello-execve', {
      score: 10,
      maxScore: 10,
      passed: true,
      checksPassed: ['compile', 'load'],
      files: { 'hello.bpf.c': 'first' },
    });
    await store.recordAttempt('alice', 'hello-execve', {
      score: 4,
      maxScore: 10,
      passed: false,
      checksPassed: ['compile'],
      files: { 'hello.bpf.c': 'second' },
    });
    expect(await store.lastAttempt('alice', 'hello-execve')).toMatchObject({
      score: 4,
      maxScore: 10,
      passed: false,
      checksPassed: ['compile'],
      files: { 'hello.bpf.c': 'second' },
      at: expect.any(Number),
    });
    expect(await store.lastAttempt('bob', 'hello-execve')).toBeNull();
    await store.close();
  });

  it('reads attempts recorded before files were kept as having none', async () => {
    const dir = tempDir();
    const old = new Database(path.join(dir, DATABASE_FILE));
    old.exec(`CREATE TABLE learners (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL) STRICT;
      CREATE TABLE lab_files (learner_id TEXT NOT NULL, lab_id TEXT NOT NULL, files TEXT NOT NULL,
        saved_at INTEGER NOT NULL, PRIMARY KEY (learner_id, lab_id)) STRICT;
      CREATE TABLE attempts (id INTEGER PRIMARY KEY, learner_id TEXT NOT NULL, lab_id TEXT NOT NULL,
        score REAL NOT NULL, max_score REAL NOT NULL, passed INTEGER NOT NULL, checks_passed TEXT NOT NULL,
        created_at INTEGER NOT NULL) STRICT;
      CREATE TABLE solution_reveals (learner_id TEXT NOT NULL, lab_id TEXT NOT NULL, shown_at INTEGER NOT NULL,
        last_attempt_before INTEGER NOT NULL, PRIMARY KEY (learner_id, lab_id)) STRICT;
      INSERT INTO learners VALUES ('alice', 1, 1);
      INSERT INTO attempts VALUES (1, 'alice', 'hello-execve', 5, 10, 0, '["compile"]', 7);`);
    old.pragma('user_version = 2');
    old.close();
    const store = new SqliteStore(dir);
    expect(await store.lastAttempt('alice', 'hello-execve')).toEqual({
      score: 5,
      maxScore: 10,
      passed: false,
      checksPassed: ['compile'],
      files: null,
      at: 7,
    });
    expect(await store.displayName('alice')).toBeNull();
    await store.close();
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
