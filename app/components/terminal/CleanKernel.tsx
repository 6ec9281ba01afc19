/**
 * "Clean kernel side", in the terminal's bar: after asking, it has the server stop the sandbox's
 * processes that hold BPF objects, unpin everything and take programs off their hooks
 * (`session:clean-kernel`), then says, under the bar, what it removed. The sandbox, its shells
 * and files stay: a way out of a program that drops every packet or a loader left running,
 * without starting over.
 */
'use client';

import { useState } from 'react';
import { ConfirmButton } from '@/app/components/lab/ConfirmButton';
import { type PlatformSocket, request } from '@/app/lib/socket';
import type { KernelCleanReport } from '@/server/protocol/session';
import styles from './terminal.module.css';

/** Stopping loaders takes up to a second; this is the server's own time, not the sandbox start. */
const CLEAN_TIMEOUT_MS = 30_000;

/** What the last clean-up said: its report, or why there is none. */
export type CleanOutcome = { report: KernelCleanReport } | { error: string };

export function CleanKernelButton({
  socket,
  disabled,
  onOutcome,
}: {
  socket: PlatformSocket | null;
  disabled: boolean;
  onOutcome(outcome: CleanOutcome | null): void;
}) {
  const [cleaning, setCleaning] = useState(false);
  const clean = async () => {
    if (!socket) return;
    setCleaning(true);
    onOutcome(null);
    const reply = await request(
      socket,
      { ms: CLEAN_TIMEOUT_MS, sandbox: true },
      'session:clean-kernel',
      undefined,
    ).catch(() => ({ ok: false as const, error: 'The server did not answer; try again' }));
    setCleaning(false);
    onOutcome(reply.ok ? { report: reply.value } : { error: reply.error });
  };
  return (
    <ConfirmButton
      label={cleaning ? 'Cleaning…' : 'Clean kernel side'}
      question="Clean your sandbox's kernel side?"
      detail="This stops every process in your sandbox that holds a BPF program, map or link open, removes everything pinned under /sys/fs/bpf, takes programs off XDP, tc and cgroup hooks, and deletes the qdiscs you added. Your files, your shells and processes that hold nothing BPF stay as they are."
      confirmLabel="Clean kernel side"
      disabled={disabled || cleaning || !socket}
      onConfirm={() => void clean()}
    />
  );
}

/** What the clean-up removed, under the terminal's bar, until dismissed or the next clean-up. */
export function CleanKernelOutcome({ outcome, onDismiss }: { outcome: CleanOutcome; onDismiss(): void }) {
  if ('error' in outcome) {
    return (
      <div className={styles.problem} role="alert">
        <p>Could not clean the kernel side: {outcome.error}</p>
        <DismissButton onDismiss={onDismiss} />
      </div>
    );
  }
  const { removed, problems } = outcome.report;
  return (
    <section className={styles.cleaned} aria-label="Kernel side cleaned" role="status">
      {removed.length === 0 ? (
        <p>
          Nothing to remove: no process held a BPF object, nothing was pinned, and no program was on an XDP,
          tc or cgroup hook.
        </p>
      ) : (
        <>
          <p>
            Removed {removed.length} thing{removed.length === 1 ? '' : 's'} from your sandbox's kernel:
          </p>
          <ul>
            {removed.map((item) => (
              <li key={item.text}>{item.text}.</li>
            ))}
          </ul>
        </>
      )}
      {problems.map((problem) => (
        <p key={problem} className={styles.cleanProblem}>
          {problem}
        </p>
      ))}
      <DismissButton onDismiss={onDismiss} />
    </section>
  );
}

function DismissButton({ onDismiss }: { onDismiss(): void }) {
  return (
    <button type="button" className={styles.dismiss} onClick={onDismiss}>
      Dismiss
    </button>
  );
}
