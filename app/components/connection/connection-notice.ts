/**
 * What the page says about its connection to the server, as pure functions: the banner's words
 * while the connection is down or refused (and for a moment after it returns), and why the lab's
 * server actions (Check, Run, Hint, Show solution, Reset) cannot be used right now.
 */
import type { ConnectionStatus } from '@/app/lib/connection-status';

export interface ConnectionNotice {
  /** `lost`: down and retrying; `refused`: the server said no, a reload is the way out; `back`: connected again. */
  kind: 'lost' | 'refused' | 'back';
  title: string;
  detail: string;
}

/** What still works while the connection is down, and what waits for it. */
export const OFFLINE_DETAIL =
  'You can keep editing: your changes stay in this page and are saved when the connection returns. ' +
  'Check, Run, hints and the terminal wait for it; keys typed into the terminal meanwhile are not sent.';

export interface NoticeContext {
  /** The browser's own idea of the network (navigator.onLine). */
  online: boolean;
  /** The connection came back a moment ago after being lost. */
  justBack: boolean;
}

/** The banner for `status`, or null when there is nothing to say (connected, or not yet tried). */
export function connectionNotice(
  status: ConnectionStatus | null,
  { online, justBack }: NoticeContext,
): ConnectionNotice | null {
  switch (status?.state) {
    case 'reconnecting':
      return {
        kind: 'lost',
        title: !online
          ? 'You are offline — reconnecting when your network is back…'
          : status.lost
            ? 'Connection to the server lost — reconnecting…'
            : 'Cannot reach the server — retrying…',
        detail: OFFLINE_DETAIL,
      };
    case 'refused':
      return {
        kind: 'refused',
        title: 'The server refused the connection',
        detail: `${sentence(status.message)} Until then Check, Run, hints and the terminal are unavailable; what you type in the editor stays in this page.`,
      };
    case 'connected':
      return justBack
        ? { kind: 'back', title: 'Connected again', detail: 'Check, Run and the terminal work again.' }
        : null;
    default:
      return null;
  }
}

/**
 * Why the lab's buttons that need the server are disabled, in words shown next to them, or null
 * when they can be used. `lab.opened`: `lab:open` answered; `lab.openFailed`: it answered no.
 */
export function labActionsUnavailable(
  status: ConnectionStatus,
  lab: { opened: boolean; openFailed: boolean },
): string | null {
  switch (status.state) {
    case 'connecting':
      return 'Connecting to the server…';
    case 'reconnecting':
      return 'Not connected to the server: Check, Run, hints and Reset wait until it is back.';
    case 'refused':
      return `Not connected to the server: ${sentence(status.message)}`;
    case 'connected':
      if (lab.openFailed) return 'The lab could not be opened, so it cannot be checked or run.';
      return lab.opened ? null : 'The lab is opening…';
  }
}

/** The server's messages are clauses without a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
