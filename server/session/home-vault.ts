/**
 * Each learner's home directory across sandboxes: packed when their sandbox goes (reaped when
 * idle, the server stopping), salvaged by the driver after a crash, unpacked into their next
 * sandbox before its first terminal opens, and the one notice that tells them their sandbox was
 * replaced. On disk, only the server's (0700, in the data directory no sandbox can reach):
 *
 *   <data>/homes/<sha256(learner id), 32 hex>/home.tar     the last home kept
 *                                            ended.json   how their last sandbox ended
 *                                            live.json    the sandbox they hold now
 *   <data>/homes/salvaged/<sandbox>.tar                    a crashed server's homes, by sandbox
 *
 * A live.json found at start means the server died while that learner had a sandbox; the
 * driver salvaged its home (local) or could not (a VM's disk went with it).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { homeArchiveLimit, homesDir, salvagedHomePath, salvagedHomesDir } from '../sandbox/home-archive.js';
import type { Sandbox } from '../sandbox/types.js';
import { type EndReason, type SandboxEnded, sandboxReplacedNotice } from './replaced-notice.js';

export type { EndReason } from './replaced-notice.js';

const LEARNER_DIR = /^[0-9a-f]{32}$/;

interface Live {
  sandbox: string;
  since: number;
}

export class HomeVault {
  /** Per learner, the move in or out under way: a reaped home is packed before the next unpacks it. */
  private readonly moving = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly dataDir: string,
    private readonly quotaBytes: number,
  ) {}

  /** Opens the vault and gives each learner the home a crashed server's driver salvaged. */
  static async open(dataDir: string, quotaBytes: number): Promise<HomeVault> {
    const vault = new HomeVault(dataDir, quotaBytes);
    await mkdir(homesDir(dataDir), { recursive: true, mode: 0o700 });
    await vault.recoverFromCrash();
    return vault;
  }

  /**
   * Unpacks the learner's kept home into their new sandbox and notes that they hold it. Returns
   * the notice for their first terminal when they had a sandbox before, else null. Never throws.
   */
  moveIn(learnerId: string, sandbox: Sandbox): Promise<string | null> {
    return this.serially(learnerId, async () => {
      const dir = this.learnerDir(learnerId);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const ended = await readJson<SandboxEnded>(path.join(dir, 'ended.json'));
      await writeJson(path.join(dir, 'live.json'), {
        sandbox: sandbox.name,
        since: Date.now(),
      } satisfies Live);
      const archive = path.join(dir, 'home.tar');
      const present = await stat(archive).then(
        () => true,
        () => false,
      );
      const restored = present ? await sandbox.restoreHome(archive) : null;
      if (restored && !restored.restored) {
        console.warn(`bpflab: a home was restored into ${sandbox.name} only in part: ${restored.why}`);
      }
      if (!ended) return null;
      // Said once: the next sandbox's notice comes from how this one ends.
      await rm(path.join(dir, 'ended.json'), { force: true });
      return sandboxReplacedNotice(ended, restored, this.quotaBytes);
    }).catch((error: unknown) => {
      console.error(`bpflab: the home of a learner could not be moved into ${sandbox.name}:`, error);
      return null;
    });
  }

  /** Disposes the learner's sandbox, keeping its home when it can. Never throws. */
  moveOut(learnerId: string, sandbox: Sandbox, reason: EndReason): Promise<void> {
    return this.serially(learnerId, async () => {
      const dir = this.learnerDir(learnerId);
      const archive = path.join(dir, 'home.tar');
      const kept = await sandbox
        .disposeKeepingHome(archive, homeArchiveLimit(this.quotaBytes))
        .catch((error: unknown) => ({ kept: false as const, why: `dispose failed: ${String(error)}` }));
      if (!kept.kept) console.warn(`bpflab: the home in ${sandbox.name} was not kept: ${kept.why}`);
      await this.recordEnd(dir, reason, kept.kept);
      await rm(path.join(dir, 'live.json'), { force: true });
    }).catch((error: unknown) => {
      console.error(`bpflab: the end of ${sandbox.name} could not be recorded:`, error);
    });
  }

  /** The learner's folder: a hash, so no learner id is ever a path. */
  learnerDir(learnerId: string): string {
    const key = createHash('sha256').update(learnerId).digest('hex').slice(0, 32);
    return path.join(homesDir(this.dataDir), key);
  }

  private async recordEnd(dir: string, reason: EndReason, kept: boolean): Promise<void> {
    const home = await stat(path.join(dir, 'home.tar')).catch(() => null);
    const ended: SandboxEnded = { reason, kept, homeSavedAt: home ? home.mtimeMs : null };
    await writeJson(path.join(dir, 'ended.json'), ended);
  }

  private async recoverFromCrash(): Promise<void> {
    for (const entry of await readdir(homesDir(this.dataDir))) {
      if (!LEARNER_DIR.test(entry)) continue;
      const dir = path.join(homesDir(this.dataDir), entry);
      const live = await readJson<Live>(path.join(dir, 'live.json'));
      if (!live) continue;
      const salvaged = salvagedHomePath(this.dataDir, path.basename(live.sandbox));
      const kept = await rename(salvaged, path.join(dir, 'home.tar')).then(
        () => true,
        () => false,
      );
      await this.recordEnd(dir, 'server-crash', kept);
      await rm(path.join(dir, 'live.json'), { force: true });
    }
    // What is left was nobody's (sandboxes waiting in the warm pool).
    await rm(salvagedHomesDir(this.dataDir), { recursive: true, force: true });
  }

  private serially<T>(learnerId: string, step: () => Promise<T>): Promise<T> {
    const before = this.moving.get(learnerId) ?? Promise.resolve();
    const next = before.catch(() => {}).then(step);
    this.moving.set(learnerId, next);
    void next
      .finally(() => {
        if (this.moving.get(learnerId) === next) this.moving.delete(learnerId);
      })
      .catch(() => {});
    return next;
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(`${file}.new`, JSON.stringify(value), { mode: 0o600 });
  await rename(`${file}.new`, file);
}
