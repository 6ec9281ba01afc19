/**
 * How long a page waits for a request the server can only answer once the learner's sandbox is
 * up (opening a lab, a shell, Check). The clock stops while the sandbox is starting: a VM under
 * software emulation boots for a minute or more, and the server bounds that itself, announcing
 * `failed` when a start overruns. Once the sandbox is ready the clock restarts, stretched by the
 * sandbox's slowdown, since every command in an emulated guest takes that many times longer.
 * A request that waits its turn (a Check in the grading queue) stops the clock the same way.
 */
import type { SandboxState } from '@/server/protocol/session';

/** Why a request ended without its answer. */
export class NoAnswer extends Error {}

export interface SandboxClock {
  /** The page's latest news of the sandbox and when it came (ms since the epoch). */
  sandbox(): { state: SandboxState | null; since: number };
  connected(): boolean;
  /** Whether the request is waiting for its turn, and when it last stopped waiting (ms). */
  turn?(): { waiting: boolean; since: number };
}

export function answerWithin<T>(answer: Promise<T>, timeoutMs: number, clock: SandboxClock): Promise<T> {
  const sentAt = Date.now();
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout>;
    const expire = () => {
      if (!clock.connected()) return reject(new NoAnswer('not connected'));
      const { state, since } = clock.sandbox();
      const turn = clock.turn?.() ?? { waiting: false, since: 0 };
      if (state?.state === 'starting' || turn.waiting) {
        timer = setTimeout(expire, timeoutMs);
        return;
      }
      const slowdown = state?.state === 'ready' ? state.slowdown : 1;
      const due = Math.max(sentAt, since, turn.since) + timeoutMs * slowdown;
      if (Date.now() < due) timer = setTimeout(expire, due - Date.now());
      else reject(new NoAnswer(`no answer within ${(timeoutMs * slowdown) / 1000} s`));
    };
    timer = setTimeout(expire, timeoutMs);
    answer.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
