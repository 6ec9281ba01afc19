/**
 * What a terminal says about its connection: socket.io holds what is emitted while disconnected
 * and sends it on reconnect, so keys typed offline would run in the shell later, perhaps in
 * another directory or after a command the learner has since given up on. Instead they are not
 * sent, and the screen says so: a line when the connection drops, one at the first key typed
 * while it is down, and one when it is back, counting what was not sent.
 */

const YELLOW = '\x1b[33m';
const GREEN = '\x1b[32m';
const PLAIN = '\x1b[0m';

function notice(colour: string, text: string): string {
  return `\r\n${colour}[${text}]${PLAIN}\r\n`;
}

export class OfflineInput {
  private down = false;
  private warned = false;
  private notSent = 0;

  /** The connection dropped: the line to write. */
  lost(): string {
    this.down = true;
    return notice(YELLOW, 'connection to the server lost; reconnecting… keys typed now are not sent');
  }

  /** `data` was typed while disconnected and not sent: the line to write, the first time only. */
  dropped(data: string): string | null {
    this.notSent += data.length;
    if (this.warned) return null;
    this.warned = true;
    return notice(YELLOW, 'typed while offline, not sent: type it again once the connection is back');
  }

  /** The connection is back and the screen repainted: the line to write, or null if it never dropped. */
  back(): string | null {
    if (!this.down && this.notSent === 0) return null;
    const count = this.notSent;
    this.down = false;
    this.warned = false;
    this.notSent = 0;
    const unsent =
      count === 0
        ? ''
        : `; ${count} character${count === 1 ? '' : 's'} typed while offline ${count === 1 ? 'was' : 'were'} not sent`;
    return notice(GREEN, `connection back${unsent}`);
  }
}
