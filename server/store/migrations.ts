/**
 * The database schema as an ordered list of migrations. The database's `user_version` says how
 * many have run; each new one is appended here (never edited once released) and runs in its own
 * transaction on the next start.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE learners (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE lab_files (
     learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     lab_id TEXT NOT NULL,
     files TEXT NOT NULL,
     saved_at INTEGER NOT NULL,
     PRIMARY KEY (learner_id, lab_id)
   ) STRICT;
   CREATE TABLE attempts (
     id INTEGER PRIMARY KEY,
     learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     lab_id TEXT NOT NULL,
     score REAL NOT NULL,
     max_score REAL NOT NULL,
     passed INTEGER NOT NULL,
     checks_passed TEXT NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX attempts_by_learner_lab ON attempts (learner_id, lab_id);`,
  // The first time a learner had a lab's solution shown, and their last attempt before it
  // (0 when none): a pass counts as their own only when it is one of the attempts up to it.
  `CREATE TABLE solution_reveals (
     learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     lab_id TEXT NOT NULL,
     shown_at INTEGER NOT NULL,
     last_attempt_before INTEGER NOT NULL,
     PRIMARY KEY (learner_id, lab_id)
   ) STRICT;`,
  // The name a learner chose to show their instructor (NULL: anonymous), and the files each
  // Check graded, so the class view can open a learner's last submission (NULL for older rows).
  `ALTER TABLE learners ADD COLUMN display_name TEXT;
   ALTER TABLE attempts ADD COLUMN files TEXT;`,
];

/** Brings the schema up to date; refuses a database written by a newer bpflab. */
export function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `${file} has schema version ${current}, newer than this bpflab knows (${MIGRATIONS.length}); upgrade bpflab`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export const SCHEMA_VERSION = MIGRATIONS.length;
