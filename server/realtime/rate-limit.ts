/**
 * How often one socket may send each kind of event: a token bucket per event class, so a page
 * may burst (a paste, several labs opening at once) but no client can make the server do more
 * than `ratePerSecond` of any kind of work for long. What a refused event costs the server is
 * one small error reply.
 */
import type { ClientEvent } from '../protocol/index.js';

export interface BucketLimit {
  /** Events allowed back to back. */
  burst: number;
  /** Events allowed per second once the burst is spent. */
  ratePerSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly limit: BucketLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  /** Takes a token when there is one; false means the event is over the limit. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(
      this.limit.burst,
      this.tokens + ((now - this.last) / 1000) * this.limit.ratePerSecond,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

type EventClass = 'keys' | 'acks' | 'terminals' | 'labs' | 'grades' | 'session' | 'unknown';

/**
 * Sized for a person on a page with headroom: typing and pastes, xterm.js acknowledging output
 * every 16 KiB (so `acks` must keep up with a flooding shell, or its flow control would stall),
 * a lesson opening several labs, autosave every 800 ms, one grade at a time.
 */
export const EVENT_LIMITS: Record<EventClass, BucketLimit> = {
  keys: { burst: 400, ratePerSecond: 200 },
  acks: { burst: 2000, ratePerSecond: 2000 },
  terminals: { burst: 20, ratePerSecond: 5 },
  labs: { burst: 30, ratePerSecond: 5 },
  grades: { burst: 4, ratePerSecond: 0.5 },
  session: { burst: 10, ratePerSecond: 2 },
  unknown: { burst: 10, ratePerSecond: 2 },
};

const CLASS_OF: Record<ClientEvent, EventClass> = {
  'terminal:input': 'keys',
  'terminal:resize': 'keys',
  'terminal:ack': 'acks',
  'terminal:list': 'terminals',
  'terminal:open': 'terminals',
  'terminal:attach': 'terminals',
  'terminal:detach': 'terminals',
  'terminal:close': 'terminals',
  'terminal:restart': 'terminals',
  'lab:open': 'labs',
  'lab:save': 'labs',
  'lab:reset': 'labs',
  'lab:solution': 'labs',
  'lab:hint': 'labs',
  'lab:check': 'grades',
  'lab:run': 'grades',
  'lab:program': 'grades',
  'session:presence': 'session',
  'session:features': 'session',
  'session:clean-kernel': 'grades',
};

/** One socket's buckets. */
export class SocketRateLimits {
  private readonly buckets = new Map<EventClass, TokenBucket>();

  constructor(private readonly now?: () => number) {}

  /** null when the event may proceed, otherwise the sentence that refuses it. */
  refusal(event: string): string | null {
    const kind = Object.hasOwn(CLASS_OF, event) ? CLASS_OF[event as ClientEvent] : 'unknown';
    let bucket = this.buckets.get(kind);
    if (!bucket) {
      bucket = new TokenBucket(EVENT_LIMITS[kind], this.now);
      this.buckets.set(kind, bucket);
    }
    if (bucket.take()) return null;
    const { burst, ratePerSecond } = bucket.limit;
    return `Too many ${kind === 'unknown' ? 'unknown' : event} messages: at most ${ratePerSecond} a second (bursts of ${burst}); this one was dropped`;
  }
}
