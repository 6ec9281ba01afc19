/**
 * The embedded Store: one SQLite file in WAL mode (readers never wait for the writer), opened once
 * per process. better-sqlite3 is synchronous and each statement takes microseconds, so methods
 * run inline and resolve at once.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { LabProgress } from '../protocol/lab.js';
import { migrate } from './migrations.js';
import type { Attempt, LabFiles, LastWorkedOn, LearnerRecord, RecordedAttempt, Store } from './store.js';

export const DATABASE_FILE = 'bpflab.db';

// Rows are parsed like any input: a file edited by hand or by an older bpflab must fail loudly.
const StoredFiles = z.record(z.string(), z.string());
const ProgressRow = z.object({
  lab_id: z.string(),
  attempts: z.number(),
  best_score: z.number(),
  max_score: z.number(),
  passed: z.number(),
  passed_on_own: z.number(),
  solution_shown: z.number(),
});

const LastRow = z.object({ lab_id: z.string(), at: z.number() });
const LearnerRow = z.object({ id: z.string(), display_name: z.string().nullable() });
const AttemptRow = z.object({
  score: z.number(),
  max_score: z.number(),
  passed: z.number(),
  checks_passed: z.string(),
  files: z.string().nullable(),
  created_at: z.number(),
});

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepare>;

  /** Opens (creating if needed) `<dataDir>/bpflab.db`, or an in-memory database for ':memory:'. */
  constructor(dataDir: string | ':memory:') {
    let file = ':memory:';
    if (dataDir !== ':memory:') {
      file = path.join(dataDir, DATABASE_FILE);
      makePrivate(dataDir, file);
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    // A checker holding the write lock is brief; wait instead of failing under a second process.
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db, file);
    this.statements = prepare(this.db);
  }

  async touchLearner(learnerId: string): Promise<void> {
    const now = Date.now();
    this.statements.touch.run(learnerId, now, now);
  }

  async saveLabFiles(learnerId: string, labId: string, files: LabFiles): Promise<void> {
    const now = Date.now();
    this.db.transaction(() => {
      this.statements.ensure.run(learnerId, now, now);
      this.statements.saveFiles.run(learnerId, labId, JSON.stringify(files), now);
    })();
  }

  async loadLabFiles(learnerId: string, labId: string): Promise<LabFiles | null> {
    const row = this.statements.loadFiles.get(learnerId, labId) as { files: string } | undefined;
    return row ? StoredFiles.parse(JSON.parse(row.files)) : null;
  }

  async recordAttempt(learnerId: string, labId: string, attempt: Attempt): Promise<void> {
    const now = Date.now();
    this.db.transaction(() => {
      this.statements.ensure.run(learnerId, now, now);
      this.statements.attempt.run(
        learnerId,
        labId,
        attempt.score,
        attempt.maxScore,
        attempt.passed ? 1 : 0,
        JSON.stringify(attempt.checksPassed),
        now,
        JSON.stringify(attempt.files),
      );
    })();
  }

  async recordSolutionShown(learnerId: string, labId: string): Promise<void> {
    const now = Date.now();
    this.db.transaction(() => {
      this.statements.ensure.run(learnerId, now, now);
      this.statements.solutionShown.run(learnerId, labId, now, learnerId, labId);
    })();
  }

  async progress(learnerId: string): Promise<Record<string, LabProgress>> {
    const result: Record<string, LabProgress> = {};
    for (const raw of this.statements.progress.all(learnerId, learnerId)) {
      const row = ProgressRow.parse(raw);
      result[row.lab_id] = {
        attempts: row.attempts,
        bestScore: row.best_score,
        maxScore: row.max_score,
        passed: row.passed === 1,
        solutionShown: row.solution_shown === 1,
        passedOnOwn: row.passed_on_own === 1,
      };
    }
    return result;
  }

  async setDisplayName(learnerId: string, displayName: string | null): Promise<void> {
    const now = Date.now();
    this.db.transaction(() => {
      this.statements.ensure.run(learnerId, now, now);
      this.statements.setDisplayName.run(displayName, learnerId);
    })();
  }

  async displayName(learnerId: string): Promise<string | null> {
    const row = this.statements.displayName.get(learnerId) as { display_name: string | null } | undefined;
    return row?.display_name ?? null;
  }

  async everyLearner(): Promise<LearnerRecord[]> {
    const learners: LearnerRecord[] = [];
    for (const raw of this.statements.everyLearner.all()) {
      const row = LearnerRow.parse(raw);
      const progress = await this.progress(row.id);
      const labs: LearnerRecord['labs'] = {};
      for (const activity of this.statements.labActivity.all(row.id, row.id, row.id)) {
        const { lab_id, at } = LastRow.parse(activity);
        // A lab only saved (never checked nor revealed) reads as not attempted yet.
        labs[lab_id] = {
          ...(progress[lab_id] ?? {
            attempts: 0,
            bestScore: 0,
            maxScore: 0,
            passed: false,
            solutionShown: false,
            passedOnOwn: false,
          }),
          lastActivityAt: at,
        };
      }
      learners.push({ learnerId: row.id, displayName: row.display_name, labs });
    }
    return learners;
  }

  async lastAttempt(learnerId: string, labId: string): Promise<RecordedAttempt | null> {
    const raw = this.statements.lastAttempt.get(learnerId, labId);
    if (raw === undefined) return null;
    const row = AttemptRow.parse(raw);
    return {
      score: row.score,
      maxScore: row.max_score,
      passed: row.passed === 1,
      checksPassed: z.array(z.string()).parse(JSON.parse(row.checks_passed)),
      files: row.files === null ? null : StoredFiles.parse(JSON.parse(row.files)),
      at: row.created_at,
    };
  }

  async lastWorkedOn(learnerId: string): Promise<LastWorkedOn | null> {
    const raw = this.statements.lastWorkedOn.get(learnerId);
    if (raw === undefined) return null;
    const row = LastRow.parse(raw);
    return { labId: row.lab_id, at: row.at };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * The data directory holds every learner's code and the key their cookies are signed with: it
 * is the owner's alone (0700), and so is the database (0600), whatever an older bpflab or the
 * umask left. SQLite gives its -wal and -shm files the database file's mode when it creates
 * them, so the database is made 0600 before SQLite first opens it.
 */
function makePrivate(dataDir: string, database: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  closeSync(openSync(database, 'a', 0o600));
  for (const file of [database, `${database}-wal`, `${database}-shm`]) chmodIfPresent(file, 0o600);
}

function chmodIfPresent(file: string, mode: number): void {
  try {
    chmodSync(file, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function prepare(db: Database.Database) {
  return {
    touch: db.prepare(
      `INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
    ),
    ensure: db.prepare(
      'INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    saveFiles: db.prepare(
      `INSERT INTO lab_files (learner_id, lab_id, files, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (learner_id, lab_id) DO UPDATE SET files = excluded.files, saved_at = excluded.saved_at`,
    ),
    loadFiles: db.prepare('SELECT files FROM lab_files WHERE learner_id = ? AND lab_id = ?'),
    attempt: db.prepare(
      `INSERT INTO attempts (learner_id, lab_id, score, max_score, passed, checks_passed, created_at, files)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The first reveal only; its last attempt before is the newest attempt id so far (ids grow).
    solutionShown: db.prepare(
      `INSERT INTO solution_reveals (learner_id, lab_id, shown_at, last_attempt_before)
       VALUES (?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM attempts WHERE learner_id = ? AND lab_id = ?))
       ON CONFLICT (learner_id, lab_id) DO NOTHING`,
    ),
    // Labs attempted, with their reveal if any, then labs whose solution was shown before any attempt.
    progress: db.prepare(
      `SELECT a.lab_id, COUNT(*) AS attempts, MAX(a.score) AS best_score, MAX(a.passed) AS passed,
              MAX(a.passed AND (r.last_attempt_before IS NULL OR a.id <= r.last_attempt_before))
                AS passed_on_own,
              MAX(r.lab_id IS NOT NULL) AS solution_shown,
              (SELECT max_score FROM attempts latest
                WHERE latest.learner_id = a.learner_id AND latest.lab_id = a.lab_id
                ORDER BY latest.id DESC LIMIT 1) AS max_score
         FROM attempts a
         LEFT JOIN solution_reveals r ON r.learner_id = a.learner_id AND r.lab_id = a.lab_id
        WHERE a.learner_id = ? GROUP BY a.lab_id
       UNION ALL
       SELECT r.lab_id, 0, 0, 0, 0, 1, 0
         FROM solution_reveals r
        WHERE r.learner_id = ? AND NOT EXISTS
              (SELECT 1 FROM attempts a WHERE a.learner_id = r.learner_id AND a.lab_id = r.lab_id)
       ORDER BY 1`,
    ),
    setDisplayName: db.prepare('UPDATE learners SET display_name = ? WHERE id = ?'),
    displayName: db.prepare('SELECT display_name FROM learners WHERE id = ?'),
    // Visitors who only looked around are left out: they have nothing to show an instructor.
    everyLearner: db.prepare(
      `SELECT id, display_name FROM learners l
        WHERE display_name IS NOT NULL
           OR EXISTS (SELECT 1 FROM lab_files f WHERE f.learner_id = l.id)
           OR EXISTS (SELECT 1 FROM attempts a WHERE a.learner_id = l.id)
           OR EXISTS (SELECT 1 FROM solution_reveals r WHERE r.learner_id = l.id)
        ORDER BY created_at, id`,
    ),
    labActivity: db.prepare(
      `SELECT lab_id, MAX(at) AS at FROM (
         SELECT lab_id, saved_at AS at FROM lab_files WHERE learner_id = ?
         UNION ALL SELECT lab_id, created_at FROM attempts WHERE learner_id = ?
         UNION ALL SELECT lab_id, shown_at FROM solution_reveals WHERE learner_id = ?)
       GROUP BY lab_id ORDER BY lab_id`,
    ),
    lastAttempt: db.prepare(
      `SELECT score, max_score, passed, checks_passed, files, created_at FROM attempts
        WHERE learner_id = ? AND lab_id = ? ORDER BY id DESC LIMIT 1`,
    ),
    // Every Check and Run saves the learner's files before grading, so the latest save is the
    // latest work, attempts included.
    lastWorkedOn: db.prepare(
      'SELECT lab_id, saved_at AS at FROM lab_files WHERE learner_id = ? ORDER BY saved_at DESC LIMIT 1',
    ),
  };
}
