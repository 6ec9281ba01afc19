/**
 * One terminal tab: an xterm.js screen bound to one shell of the learner's sandbox. It attaches on
 * mount and again after every reconnect (repainting from the server's scrollback), acknowledges
 * what it has drawn (flow control), follows its box's size, and offers Restart when the shell
 * exits. The shell keeps Tab and Escape (vi, less and readline use them), so Shift+Escape, named
 * under the screen, leaves the terminal: the keyboard goes to this shell's tab, outside the screen.
 * Keys typed while the connection is down are not sent, and the screen says so (offline-input.ts).
 * Unmounting detaches; the shell keeps running on the server.
 */
'use client';

import '@xterm/xterm/css/xterm.css';
import type { Terminal as XTerm } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { type PlatformSocket, request } from '@/app/lib/socket';
import {
  ACK_EVERY_BYTES,
  MAX_INPUT_CHARS,
  outputBytes,
  type TerminalBytes,
  type TerminalExit,
} from '@/server/protocol/terminal';
import { AckCounter } from './ack-counter';
import { firstShellShown } from './first-shell';
import { loadXterm } from './load-xterm';
import { OfflineInput } from './offline-input';
import styles from './terminal.module.css';

const REQUEST_TIMEOUT_MS = 10_000;

/** The id of the line under a screen that names the key leaving it. */
const keysHintId = (id: string) => `terminal-keys-${id}`;

/** Terminals are dark in either page theme, like the consoles learners know. */
const THEME = {
  background: '#0f1115',
  foreground: '#e4e7eb',
  cursor: '#58a6ff',
  selectionBackground: '#264f78',
  black: '#1c2129',
  brightBlack: '#6e7681',
};

export interface TerminalViewProps {
  socket: PlatformSocket;
  id: string;
  title: string;
  active: boolean;
  /** Take the keyboard once ready, if this is the active tab (a page whose point is the terminal). */
  autoFocus: boolean;
  /** The server no longer knows this terminal (closed elsewhere, or the session ended). */
  onGone(id: string): void;
  /** Gets a way to type into this shell as the learner's keys do (a lesson's Run), null when it goes. */
  onTypist?(id: string, type: ((text: string) => void) | null): void;
}

export function TerminalView({ socket, id, title, active, autoFocus, onGone, onTypist }: TerminalViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm | null>(null);
  const refit = useRef<() => void>(() => {});
  const [exit, setExit] = useState<TerminalExit | null>(null);
  const [restartError, setRestartError] = useState<string | null>(null);
  const gone = useRef(onGone);
  gone.current = onGone;
  const typist = useRef(onTypist);
  typist.current = onTypist;
  const focusWhenReady = useRef(active && autoFocus);
  focusWhenReady.current = active && autoFocus;

  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];

    void (async () => {
      const [{ Terminal }, { FitAddon }, { WebLinksAddon }] = await loadXterm();
      // Measure cells with the real font, not the fallback it replaces a moment later.
      await document.fonts.load('14px "JetBrains Mono"').catch(() => undefined);
      if (disposed || !host.current) return;

      const screen = new Terminal({
        fontFamily: '"JetBrains Mono", ui-monospace, monospace',
        fontSize: 14,
        cursorBlink: true,
        scrollback: 5000,
        theme: THEME,
      });
      const fit = new FitAddon();
      screen.loadAddon(fit);
      screen.loadAddon(new WebLinksAddon());
      screen.open(host.current);
      screen.textarea?.setAttribute('aria-describedby', keysHintId(id));
      const leave = () =>
        host.current
          ?.closest('section')
          ?.querySelector<HTMLElement>(`[role="tab"][aria-controls="panel-${id}"]`)
          ?.focus();
      screen.attachCustomKeyEventHandler((event) => {
        if (event.key !== 'Escape' || !event.shiftKey) return true;
        if (event.type === 'keydown') {
          event.preventDefault();
          leave();
        }
        return false;
      });
      term.current = screen;
      if (focusWhenReady.current) screen.focus();
      cleanups.push(() => screen.dispose());

      const acks = new AckCounter((bytes) => socket.emit('terminal:ack', { id, bytes }), ACK_EVERY_BYTES);
      cleanups.push(() => acks.reset());
      // Bytes as the shell wrote them: xterm.js decodes UTF-8 itself, across messages too.
      const draw = (data: TerminalBytes, then?: () => void) => {
        const bytes = outputBytes(data);
        screen.write(bytes, () => {
          acks.written(bytes.byteLength);
          then?.();
        });
      };

      const sendSize = () => socket.emit('terminal:resize', { id, cols: screen.cols, rows: screen.rows });
      refit.current = () => {
        // A hidden tab has no size; fitting it would shrink the shell to nothing.
        if (host.current?.offsetParent) fit.fit();
      };
      const resizes = screen.onResize(sendSize);
      cleanups.push(() => resizes.dispose());
      let frame = 0;
      const observer = new ResizeObserver(() => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => refit.current());
      });
      observer.observe(host.current);
      cleanups.push(() => {
        cancelAnimationFrame(frame);
        observer.disconnect();
      });

      const offline = new OfflineInput();
      const typed = screen.onData((data) => {
        // socket.io would hold these and type them into the shell on reconnect, unannounced.
        if (!socket.connected) {
          const warning = offline.dropped(data);
          if (warning) screen.write(warning);
          return;
        }
        for (let at = 0; at < data.length; at += MAX_INPUT_CHARS) {
          socket.emit('terminal:input', { id, data: data.slice(at, at + MAX_INPUT_CHARS) });
        }
      });
      cleanups.push(() => typed.dispose());
      // Typed text goes through onData above, like keys (xterm's input()), offline rules included.
      typist.current?.(id, (text) => {
        screen.input(text);
        screen.focus();
      });
      cleanups.push(() => typist.current?.(id, null));

      const onOutput = (p: { id: string; data: TerminalBytes }) => {
        if (p.id === id) draw(p.data);
      };
      const onExit = (p: { id: string; exit: TerminalExit }) => {
        if (p.id === id) setExit(p.exit);
      };
      const onClosed = (p: { id: string }) => {
        if (p.id === id) gone.current(id);
      };
      const onDropped = () => screen.write(offline.lost());
      const attach = async () => {
        const reply = await request(socket, { ms: REQUEST_TIMEOUT_MS }, 'terminal:attach', { id }).catch(
          () => null,
        );
        if (disposed || !reply) return; // unanswered: the next reconnect attaches again
        if (!reply.ok) {
          gone.current(id);
          return;
        }
        acks.reset();
        screen.reset();
        draw(reply.value.replay, firstShellShown);
        const back = offline.back();
        if (back) screen.write(back);
        setExit(reply.value.info.exit);
        refit.current();
        sendSize();
      };
      socket.on('terminal:output', onOutput);
      socket.on('terminal:exit', onExit);
      socket.on('terminal:closed', onClosed);
      socket.on('connect', attach);
      socket.on('disconnect', onDropped);
      cleanups.push(() => {
        socket.off('terminal:output', onOutput);
        socket.off('terminal:exit', onExit);
        socket.off('terminal:closed', onClosed);
        socket.off('connect', attach);
        socket.off('disconnect', onDropped);
        if (socket.connected) socket.emit('terminal:detach', { id });
      });
      if (socket.connected) await attach();
    })();

    return () => {
      disposed = true;
      for (const cleanup of cleanups.reverse()) cleanup();
      term.current = null;
    };
  }, [socket, id]);

  // A tab the learner switched to gets the keyboard (before the screen exists this does nothing).
  useEffect(() => {
    if (!active) return;
    refit.current();
    term.current?.focus();
  }, [active]);

  const restart = async () => {
    setRestartError(null);
    const reply = await request(socket, { ms: REQUEST_TIMEOUT_MS }, 'terminal:restart', { id }).catch(() => ({
      ok: false as const,
      error: 'The server did not answer; try again',
    }));
    if (!reply.ok) {
      setRestartError(reply.error);
      return;
    }
    term.current?.write('\r\n');
    setExit(null);
    term.current?.focus();
  };

  return (
    <div className={styles.view} hidden={!active} role="tabpanel" id={`panel-${id}`} aria-label={title}>
      <div ref={host} className={styles.screen} />
      <p id={keysHintId(id)} className={styles.keys}>
        <kbd>Shift</kbd>+<kbd>Esc</kbd> leaves the terminal
      </p>
      {exit && (
        <div className={styles.exited} role="status">
          <span>
            The shell exited{exit.signal ? ` (signal ${exit.signal})` : ` with code ${exit.exitCode}`}.
          </span>
          <button type="button" onClick={() => void restart()}>
            Restart
          </button>
          {restartError && <span className={styles.error}>{restartError}</span>}
        </div>
      )}
    </div>
  );
}
