/**
 * Explains a rejected load to the learner: the refused instruction and its source line, each
 * register and stack slot the verifier knew there in plain words (`map_value_or_null` is "a map
 * value that may be NULL"), and the catalogue's explanation and fix (verifier-catalogue.ts).
 * Works from the verifier log (Linux 6.1 and 6.18 formats, verifier-log.ts), or from libbpf's
 * error alone when the load failed before the verifier ran (no kernel BTF).
 */
import type { VerifierExplanation, VerifierStateEntry } from '../protocol/lab.js';
import { CATALOGUE } from './verifier-catalogue.js';
import { parseFailingState, parseVerifierLog, type StateEntry, splitTopLevel } from './verifier-log.js';

export interface RejectedLoad {
  /** The rejected program's verifier log, when the kernel wrote one. */
  verifierLog?: string;
  /** The loader's error line (it names libbpf's reason when the verifier never ran). */
  error: string;
  /** The learner's files by name, to find the source line. */
  sources: ReadonlyMap<string, string>;
}

/** The explanation, or null when the load failed for a reason that is not the verifier's nor in the catalogue. */
export function explainRejection({ verifierLog, error, sources }: RejectedLoad): VerifierExplanation | null {
  const rejection = verifierLog ? parseVerifierLog(verifierLog, sources) : null;
  const state = verifierLog ? parseFailingState(verifierLog) : null;
  const message = rejection?.message ?? error;
  const entry = matchEntry([message, verifierLog ?? '', error]);
  if (!rejection && !entry) return null;
  // The registers the message is about; `cur state: R1=0 R10=fp0` lines after a loop's message are not.
  const about = message
    .split('\n')
    .filter((l) => !/^(cur|old) state:/.test(l))
    .join('\n');
  const named = new Set([...about.matchAll(/\bR(\d+)\b/g)].map((m) => `R${m[1]}`));
  const explained = (e: StateEntry, words: string): VerifierStateEntry => ({
    ...e,
    words,
    named: named.has(e.name),
  });
  return {
    message,
    ...(state?.instruction ? { instruction: state.instruction } : {}),
    ...(rejection?.file !== undefined && rejection.line !== undefined
      ? {
          source: {
            file: rejection.file,
            line: rejection.line,
            column: rejection.column ?? 1,
            ...(rejection.sourceText ? { text: rejection.sourceText } : {}),
          },
        }
      : {}),
    registers: (state?.registers ?? []).map((r) => explained(r, describeRegister(r.name, r.value))),
    stack: (state?.stack ?? []).map((s) => explained(s, describeStackSlot(s.value))),
    entry,
  };
}

function matchEntry(texts: string[]): VerifierExplanation['entry'] {
  for (const text of texts) {
    for (const e of CATALOGUE) {
      const m = e.pattern.exec(text);
      if (m) return { id: e.id, title: e.title, explanation: e.explanation(m), fix: e.fix(m) };
    }
  }
  return null;
}

/** `(P)name(args)` or a constant, as the verifier prints a register's value. */
const VALUE = /^(P)?([a-z_][a-z0-9_]*)(?:\((.*)\))?$/;
const CONSTANT = /^P?(-?\d+|0x[0-9a-f]+)$/;

/** A register's value in plain words. */
export function describeRegister(name: string, value: string): string {
  if (name === 'R10') return 'the frame pointer: the top of this program\u2019s 512-byte stack (read-only)';
  return describeValue(value);
}

export function describeValue(value: string): string {
  const constant = CONSTANT.exec(value);
  if (constant) return `the number ${number(constant[1]!)}, known exactly`;
  const stack = /^fp(-?\d+)$/.exec(value);
  if (stack) {
    const off = Number(stack[1]);
    return off === 0
      ? 'a pointer to the top of the stack (the frame pointer)'
      : `a pointer into the stack, ${-off} bytes below the frame pointer`;
  }
  const m = VALUE.exec(value);
  if (!m) return `a value the explainer does not know (${value}); the verifier\u2019s notation is beside it`;
  const type = m[2]!;
  const args = parseArgs(m[3] ?? '');
  const map = args.map ? ` of map \`${args.map}\`` : '';
  const size = args.vs ? ` (${args.vs} bytes)` : '';
  switch (type) {
    case 'scalar':
    case 'inv':
      return scalarWords(args);
    case 'map_value_or_null':
      return `a map value${map} that may be NULL \u2014 check it before use`;
    case 'map_value':
      return `a pointer to a value${map}${size}, checked: safe to read and write within its size`;
    case 'map_ptr':
      return `the map${args.map ? ` \`${args.map}\`` : ''} itself, to pass to map helpers`;
    case 'map_key':
      return `a pointer to a key${map}`;
    // Linux 6.1 prints a ring-buffer reservation as alloc_mem.
    case 'ringbuf_mem_or_null':
    case 'alloc_mem_or_null':
      return 'a ring-buffer record that may be NULL (the buffer may be full) \u2014 check it before use';
    case 'ringbuf_mem':
    case 'alloc_mem':
      return `a reserved ring-buffer record${args.sz ? ` of ${args.sz} bytes` : ''}: submit or discard it before the program ends`;
    case 'ctx':
      return 'the program\u2019s context (its argument): readable only at the offsets its type allows';
    case 'pkt': {
      const range = Number(args.r ?? 0);
      const at = args.off && args.off !== '0' ? ` at offset ${args.off}` : '';
      return range === 0
        ? `a pointer into the packet${at}, r=0: no bytes proven inside the packet yet \u2014 compare with data_end before reading`
        : `a pointer into the packet${at}, r=${range}: the first ${range} bytes from the packet\u2019s start are proven inside the packet`;
    }
    case 'pkt_end':
      return 'the end of the packet (data_end): compare packet pointers with it before reading';
    case 'pkt_meta':
      return 'a pointer to the packet\u2019s metadata area';
    case 'mem':
    case 'rdonly_mem':
    case 'rdwr_buf':
    case 'rdonly_buf':
      return `memory a helper returned${args.sz ? ` (${args.sz} bytes)` : ''}`;
    case 'mem_or_null':
      return 'memory a helper returned, or NULL \u2014 check it before use';
    case 'func':
      return 'a pointer to a BPF function (a callback)';
    case 'sock':
    case 'sock_common':
    case 'tcp_sock':
      return `a pointer to a kernel socket (${type})`;
    case 'sock_or_null':
    case 'sock_common_or_null':
    case 'tcp_sock_or_null':
      return 'a kernel socket that may be NULL \u2014 check it before use';
    default: {
      const kernel = /^(?:trusted_|rcu_|untrusted_|percpu_|rdonly_)*ptr_(?:or_null_)?(\w+)$/.exec(type);
      if (kernel) {
        const maybeNull = type.includes('or_null') ? ', possibly NULL \u2014 check it before use' : '';
        return `a pointer to a kernel struct ${kernel[1]}${maybeNull}`;
      }
      return `a value of type ${type} (see the verifier\u2019s notation)`;
    }
  }
}

/** A stack slot: bytes by kind (`m` written, `0` zero, `?` never written), or a saved register. */
export function describeStackSlot(value: string): string {
  // Eight bytes of slot kinds; anything else is a register spilled there (`fp-8=0`, `fp-8=map_value(…)`).
  if (!/^[m0?rdif]{8}$/.test(value)) return `a saved register: ${describeValue(value)}`;
  const unwritten = [...value].filter((c) => c === '?').length;
  if (unwritten === value.length) return 'never written: reading it is an uninitialised stack read';
  const zero = [...value].every((c) => c === '0');
  const kinds = zero ? 'zeroes' : 'written data';
  return unwritten === 0
    ? `${value.length} bytes of ${kinds}`
    : `${value.length - unwritten} of ${value.length} bytes written (${kinds}), ${unwritten} never written`;
}

function scalarWords(args: Record<string, string>): string {
  const lo = args.umin ?? args.smin;
  const hi = args.umax ?? args.smax;
  if (lo === undefined && hi === undefined) {
    return 'a number, not a pointer; the verifier knows nothing of its value';
  }
  const low = lo === undefined ? (args.smin ?? '0') : lo;
  const high = hi === undefined ? 'any larger value' : number(hi);
  return `a number, not a pointer, between ${number(low)} and ${high}`;
}

/** `id=1,map=counts,smax=umax=0xffffffff,var_off=(0x0; 0xff)` as fields (a chain sets each key). */
function parseArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const part of splitTopLevel(text, ',')) {
    const pieces = part.split('=');
    const value = pieces.pop()!;
    for (const key of pieces) args[key.trim()] = value;
  }
  return args;
}

/** A verifier number in decimal, with its hex spelling when that is how it was printed. */
function number(text: string): string {
  if (!text.startsWith('0x')) return text;
  const value = BigInt(text);
  return `${value} (${text})`;
}
