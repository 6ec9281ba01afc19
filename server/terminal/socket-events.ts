/**
 * The pty bridge's socket side: a learner's pages open, attach to, type into, resize and close
 * the terminals of their own session. Every id is looked up in the session of the socket's
 * learner (from the cookie), so another learner's terminal id simply does not exist here.
 */
import type { BpflabSocket, EventRegistrar } from '../realtime/context.js';
import { fail, handle, ok } from '../realtime/handle.js';
import { cutOffIfUnread } from '../realtime/unread-output.js';
import type { Sessions } from '../session/sessions.js';
import type { Terminal, TerminalViewer } from './terminal.js';

const NO_SUCH_TERMINAL = 'No such terminal (it was closed, or your session ended)';

/** The sessions as the terminal events see them: find a learner's session, or start one. */
type TerminalSessions = Pick<Sessions, 'existing' | 'session'>;

export function registerTerminalEvents(deps: { sessions: TerminalSessions }): EventRegistrar {
  return (socket, learnerId) => bridgeTerminals(socket, learnerId, deps.sessions);
}

function bridgeTerminals(socket: BpflabSocket, learnerId: string, sessions: TerminalSessions): void {
  const viewerId = socket.id;
  const viewer = (id: string): TerminalViewer => ({
    output: (data) => {
      socket.emit('terminal:output', { id, data });
      cutOffIfUnread(socket);
    },
    exited: (exit) => socket.emit('terminal:exit', { id, exit }),
    closed: () => socket.emit('terminal:closed', { id }),
  });
  const find = (id: string) => sessions.existing(learnerId)?.terminal(id);

  handle(socket, 'terminal:list', () =>
    ok(
      sessions
        .existing(learnerId)
        ?.listTerminals()
        .map((t) => t.info()) ?? [],
    ),
  );

  handle(socket, 'terminal:open', async (size) => {
    const opened = await sessions.session(learnerId).openTerminal(size);
    if (!opened.ok) return fail(opened.error);
    const replay = opened.terminal.attach(viewerId, viewer(opened.terminal.id));
    return ok({ info: opened.terminal.info(), replay });
  });

  handle(socket, 'terminal:attach', ({ id }) => {
    const terminal = find(id);
    if (!terminal) return fail(NO_SUCH_TERMINAL);
    // Attaching twice (a remounted tab) starts over: one replay, one flow-control account.
    terminal.detach(viewerId);
    const replay = terminal.attach(viewerId, viewer(id));
    return ok({ info: terminal.info(), replay });
  });

  /** Runs `use` on the terminal, or answers that there is none (as an error event without an ack). */
  const withTerminal = (id: string, use: (terminal: Terminal) => void) => {
    const terminal = find(id);
    if (!terminal) return fail(NO_SUCH_TERMINAL);
    use(terminal);
    return ok(null);
  };

  handle(socket, 'terminal:detach', ({ id }) => withTerminal(id, (t) => t.detach(viewerId)));

  handle(socket, 'terminal:input', ({ id, data }) => withTerminal(id, (t) => t.write(data)));

  handle(socket, 'terminal:resize', ({ id, cols, rows }) =>
    withTerminal(id, (t) => t.resize({ cols, rows })),
  );

  handle(socket, 'terminal:ack', ({ id, bytes }) => withTerminal(id, (t) => t.acked(viewerId, bytes)));

  handle(socket, 'terminal:close', ({ id }) => {
    const closed = sessions.existing(learnerId)?.closeTerminal(id) ?? false;
    return closed ? ok(null) : fail(NO_SUCH_TERMINAL);
  });

  handle(socket, 'terminal:restart', ({ id }) => {
    const terminal = find(id);
    if (!terminal) return fail(NO_SUCH_TERMINAL);
    if (!terminal.restart()) return fail('The shell is still running');
    return ok(terminal.info());
  });

  // The shells keep running: the same learner reconnecting re-attaches to them.
  socket.on('disconnect', () => {
    for (const terminal of sessions.existing(learnerId)?.listTerminals() ?? []) terminal.detach(viewerId);
  });
}
