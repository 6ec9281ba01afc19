/**
 * `<Terminal />`: the learner's shells in their sandbox, as tabs. On connect (and after every
 * reconnect) it lists the shells the server still has, so a reload or a dropped network shows the
 * same tabs; with none it opens one (which starts the sandbox; terminals on one page that find
 * none at the same moment share that one), unless the sandbox was just
 * stopped for idleness, when it waits for the learner to ask. Used standalone on /sandbox and
 * beside the editor in a lab, where it also takes the commands of the lesson's Run blocks
 * (run-bus.ts) into the shown shell.
 */
'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type ConnectionStatus,
  type PlatformSocket,
  request,
  useConnectionStatus,
  usePlatformSocket,
  useSandboxState,
} from '@/app/lib/socket';
import type { SandboxState } from '@/server/protocol/session';
import type { TerminalInfo } from '@/server/protocol/terminal';
import { CleanKernelButton, CleanKernelOutcome, type CleanOutcome } from './CleanKernel';
import { offerTerminal } from './run-bus';
import { TerminalView } from './TerminalView';
import styles from './terminal.module.css';

const REQUEST_TIMEOUT_MS = 10_000;
/** Not counting the sandbox's start (the sandbox's clock, see request). */
const OPEN_TIMEOUT_MS = 30_000;

type OpenReply = Awaited<ReturnType<typeof requestShell>>;

function requestShell(socket: PlatformSocket) {
  return request(socket, { ms: OPEN_TIMEOUT_MS, sandbox: true }, 'terminal:open', {
    cols: 80,
    rows: 24,
  }).catch(() => ({ ok: false as const, error: 'The server did not answer; try again' }));
}

/**
 * Automatic opens in flight, per page socket. A lesson with two labs mounts two terminals that
 * both find no shell at once; they share the first one instead of starting a shell each.
 */
const autoOpens = new WeakMap<PlatformSocket, Promise<OpenReply>>();

function autoOpenShell(socket: PlatformSocket): Promise<OpenReply> {
  let pending = autoOpens.get(socket);
  if (!pending) {
    pending = requestShell(socket).finally(() => autoOpens.delete(socket));
    autoOpens.set(socket, pending);
  }
  return pending;
}

export interface TerminalProps {
  /** Open a shell when the learner has none (default true). */
  autoOpen?: boolean;
  /** Give the first shell the keyboard once it is ready (default false: a lesson page keeps its scroll). */
  autoFocus?: boolean;
  className?: string;
}

export function Terminal({ autoOpen = true, autoFocus = false, className }: TerminalProps) {
  const socket = usePlatformSocket();
  const status = useConnectionStatus();
  const sandbox = useSandboxState();
  const [tabs, setTabs] = useState<TerminalInfo[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [cleaned, setCleaned] = useState<CleanOutcome | null>(null);
  const sandboxRef = useRef<SandboxState | null>(null);
  sandboxRef.current = sandbox;
  const section = useRef<HTMLElement>(null);
  /** How to type into each tab's shell as the learner would, by terminal id (TerminalView's onTypist). */
  const typists = useRef(new Map<string, (text: string) => void>());
  const onTypist = useCallback((id: string, type: ((text: string) => void) | null) => {
    if (type) typists.current.set(id, type);
    else typists.current.delete(id);
  }, []);

  const open = useCallback(
    async (shared = false) => {
      if (!socket) return;
      setOpening(true);
      setProblem(null);
      const reply = await (shared ? autoOpenShell(socket) : requestShell(socket));
      setOpening(false);
      if (!reply.ok) {
        setProblem(reply.error);
        return;
      }
      const info = reply.value.info;
      setTabs((current) => (current.some((t) => t.id === info.id) ? current : [...current, info]));
      setActive(info.id);
    },
    [socket],
  );

  const forget = useCallback((id: string) => {
    setTabs((current) => current.filter((t) => t.id !== id));
  }, []);

  useEffect(() => {
    if (!socket) return;
    const sync = async () => {
      const reply = await request(socket, { ms: REQUEST_TIMEOUT_MS }, 'terminal:list', undefined).catch(
        () => null,
      );
      if (!reply?.ok) return;
      const listed = reply.value;
      setTabs(listed);
      if (listed.length === 0 && autoOpen && sandboxRef.current?.state !== 'reaped') await open(true);
    };
    if (socket.connected) void sync();
    socket.on('connect', sync);
    return () => {
      socket.off('connect', sync);
    };
  }, [socket, autoOpen, open]);

  // The selected tab, or the newest one when the selected one went away.
  const shown = tabs.some((t) => t.id === active) ? active : (tabs.at(-1)?.id ?? null);

  // A lesson's Run block types its command into the shown shell, or hears why it cannot.
  useEffect(
    () =>
      offerTerminal({
        element: () => section.current,
        run: (command) => {
          if (status.state !== 'connected') {
            const why = statusLine(status, sandbox, opening);
            return { ok: false, reason: `The terminal is not connected (${why}); nothing was typed.` };
          }
          const type = shown === null ? undefined : typists.current.get(shown);
          if (!type) {
            return {
              ok: false,
              reason: opening
                ? 'The terminal is still starting your sandbox; try again in a moment.'
                : 'The terminal has no shell open: open one, then try again.',
            };
          }
          section.current?.scrollIntoView({ block: 'nearest' });
          type(`${command}\r`);
          return { ok: true };
        },
      }),
    [status, sandbox, opening, shown],
  );

  const close = async (id: string) => {
    if (!socket) return;
    const reply = await request(socket, { ms: REQUEST_TIMEOUT_MS }, 'terminal:close', { id }).catch(
      () => null,
    );
    if (reply?.ok === false) setProblem(reply.error);
    forget(id);
  };

  return (
    <section
      ref={section}
      className={[styles.terminal, className].filter(Boolean).join(' ')}
      aria-label="Terminal"
    >
      <div className={styles.bar}>
        <div role="tablist" aria-label="Shells" className={styles.tabs}>
          {tabs.map((tab) => (
            <div key={tab.id} className={styles.tab} data-active={tab.id === shown}>
              <button
                type="button"
                role="tab"
                aria-selected={tab.id === shown}
                aria-controls={`panel-${tab.id}`}
                aria-keyshortcuts="Delete"
                title="Delete closes this shell"
                onClick={() => setActive(tab.id)}
                onKeyDown={(event) => {
                  if (event.key !== 'Delete') return;
                  event.preventDefault();
                  void close(tab.id);
                }}
              >
                {tab.title}
              </button>
              {/* A tab list holds only tabs: the keyboard closes a shell with Delete on its tab. */}
              <button
                type="button"
                className={styles.close}
                aria-hidden="true"
                tabIndex={-1}
                title={`Close ${tab.title}`}
                onClick={() => void close(tab.id)}
              >
                ×
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          className={styles.add}
          aria-label="New shell"
          title="New shell"
          disabled={!socket || status.state !== 'connected' || opening}
          onClick={() => void open()}
        >
          +
        </button>
        <CleanKernelButton
          socket={socket}
          disabled={status.state !== 'connected' || sandbox?.state !== 'ready'}
          onOutcome={setCleaned}
        />
        <p className={styles.status} role="status" aria-live="polite">
          {statusLine(status, sandbox, opening)}
        </p>
      </div>
      {problem && (
        <p className={styles.problem} role="alert">
          {problem}
        </p>
      )}
      {cleaned && <CleanKernelOutcome outcome={cleaned} onDismiss={() => setCleaned(null)} />}
      <div className={styles.views}>
        {socket &&
          tabs.map((tab) => (
            <TerminalView
              key={tab.id}
              socket={socket}
              id={tab.id}
              title={tab.title}
              active={tab.id === shown}
              autoFocus={autoFocus}
              onGone={forget}
              onTypist={onTypist}
            />
          ))}
        {tabs.length === 0 && !opening && status.state === 'connected' && (
          <div className={styles.empty}>
            {sandbox?.state === 'reaped' && <p>{sandbox.message}</p>}
            <button type="button" onClick={() => void open()}>
              {sandbox?.state === 'reaped' ? 'Start a new sandbox' : 'Open a shell'}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

function statusLine(status: ConnectionStatus, sandbox: SandboxState | null, opening: boolean): string {
  switch (status.state) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Connection lost, reconnecting…';
    case 'refused':
      return status.message;
    case 'connected':
      if (sandbox?.state === 'starting' || opening) return 'Starting your sandbox…';
      if (sandbox?.state === 'failed') return sandbox.message;
      if (sandbox?.state === 'ready') return `Connected to ${sandbox.name}`;
      return 'Connected';
  }
}
