/**
 * The one place that words what a learner is told when their sandbox is new but they had one
 * before: why the old one went, what was kept, what was lost. Two lines, plain text; the first
 * terminal of the new sandbox prints it and the `session:sandbox` ready state carries it.
 */
import type { HomeRestored } from '../sandbox/home-archive.js';

/** Why a learner's previous sandbox ended. */
export type EndReason = 'server-restart' | 'server-crash' | 'idle';

/** How a learner's previous sandbox ended, as home-vault.ts records it. */
export interface SandboxEnded {
  reason: EndReason;
  /** Whether home.tar holds that sandbox's home. */
  kept: boolean;
  /** When home.tar was written (ms since the epoch); null when there is none. */
  homeSavedAt: number | null;
}

const WHY: Record<EndReason, string> = {
  'server-restart': 'was stopped when the server restarted',
  'server-crash': 'was lost when the server stopped unexpectedly',
  idle: 'was stopped after a time without activity',
};

const ALWAYS_LOST = 'running processes, loaded BPF programs and maps, and anything outside your home';

/**
 * `restored`: how the kept archive went into the new sandbox (null: there was none). A
 * restore that ran out of space names the quota the home did not fit in.
 */
export function sandboxReplacedNotice(
  ended: SandboxEnded,
  restored: HomeRestored | null,
  quotaBytes: number,
): string {
  const first = `This is a new sandbox: your previous one ${WHY[ended.reason]}.`;
  const quota = `${Math.round(quotaBytes / (1024 * 1024))} MiB`;
  let kept: string;
  let lost = ALWAYS_LOST;
  if (restored === null || ended.homeSavedAt === null) {
    kept = 'your lab files';
    lost = `your home directory, ${lost}`;
  } else if (!restored.restored) {
    kept = /No space left|Wrote only/i.test(restored.why)
      ? `the part of your home directory that fits in the ${quota} workspace, and your lab files`
      : 'your lab files (your home directory could not be restored)';
    lost = `the rest of your home directory, ${lost}`;
  } else if (!ended.kept) {
    kept = `your home directory as it was at ${clock(ended.homeSavedAt)} UTC, and your lab files`;
    lost = `later changes to your home directory, ${lost}`;
  } else {
    kept = 'your home directory (~, with ~/labs and your lab files)';
  }
  return `${first}\nKept: ${kept}. Lost: ${lost}.`;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}
