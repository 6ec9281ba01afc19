/**
 * Puts one program's three forms side by side for the Program view: clang's instructions
 * (llvm-objdump), the kernel's after the verifier (the runner's `code` line, disassembled here)
 * and the JIT's (objdump of the image), each instruction tagged with the lab file and line it came
 * from, and the verifier's instructions marked `changed` where clang wrote nothing like them for
 * that line: map relocations turned into map ids, helper calls turned into the kernel functions
 * they reach, inlined lookups, rewritten context accesses.
 */
import type { CodeLine, ProgramCode } from '../protocol/lab.js';
import { disassemble } from './bpf-disasm.js';
import type { ClangFunction, JitInsn } from './objdump-parse.js';
import type { RunnerCode } from './runner-protocol.js';

export interface ProgramParts {
  code: RunnerCode;
  /** Every function llvm-objdump found in the program's object. */
  clang: readonly ClangFunction[];
  /** Helper names by id, as the sandbox's kernel names them (`map_lookup_elem`…). */
  helpers: readonly string[];
  /** Map ids of the loaded object, to name `map[id:N]`. */
  maps: readonly { name: string; id: number }[];
  /** The disassembled JIT image, when the kernel showed it and the server could disassemble it. */
  jit: readonly JitInsn[] | null;
  /** Why `jit` is null although the kernel showed the image (no disassembler on the server). */
  jitProblem?: string;
  /** The lab file a path in line info names (the run directory's absolute path), if any. */
  fileOf(path: string): string | undefined;
}

/** An instruction with what it is compared by: its text without the view's annotations. */
interface Keyed extends CodeLine {
  key?: string;
}

export const HIDDEN_CALLS_NOTE =
  'The kernel hides the addresses of called functions from this sandbox, so calls read "call ?": ' +
  'naming them needs CAP_SYSLOG.';

export function programCode(parts: ProgramParts): ProgramCode {
  const { code } = parts;
  const notes: string[] = [];
  const clang = clangColumn(parts);
  if (clang.length === 0) notes.push(`llvm-objdump showed no function ${code.program} in ${code.section}.`);
  const xlated = code.xlated === null ? [] : xlatedColumn(parts, notes);
  if (code.xlated === null)
    notes.push('The kernel hides the instructions of this program (constant blinding is on).');
  markChanged(clang, xlated);
  const jited = parts.jit ? jitColumn(parts, parts.jit) : null;
  const jitUnavailable = code.jit_unavailable ?? (parts.jit ? undefined : parts.jitProblem);
  return {
    name: code.program,
    section: code.section,
    clang: clang.map(unkeyed),
    xlated: xlated.map(unkeyed),
    jited,
    ...(jitUnavailable ? { jitUnavailable } : {}),
    notes,
  };
}

function clangColumn({ code, clang, helpers, fileOf }: ProgramParts): Keyed[] {
  const fn = clang.find((f) => f.name === code.program && f.section === code.section);
  return (fn?.insns ?? []).map((insn) => {
    const call = /^call (\d+)$/.exec(insn.text);
    const helper = call ? helpers[Number(call[1])] : undefined;
    const note = helper ? `bpf_${helper}` : insn.relocation;
    return {
      offset: insn.index,
      text: note ? `${insn.text}  ; ${note}` : insn.text,
      key: helper ? `call bpf_${helper}` : insn.text,
      ...located(insn.file, insn.line, fileOf),
    };
  });
}

function xlatedColumn({ code, maps, fileOf }: ProgramParts, notes: string[]): Keyed[] {
  const targets = new Map(code.calls.map((c) => [c.insn, c.target]));
  const mapNames = new Map(maps.map((m) => [m.id, m.name]));
  const lines = [...code.lines].sort((a, b) => a.insn - b.insn);
  let hidden = false;
  const column = disassemble(code.xlated ?? '').map((insn): Keyed => {
    let text = insn.text;
    let key: string | undefined = text;
    if (insn.call?.kind === 'subprog') {
      text = `call pc${insn.call.imm >= 0 ? '+' : ''}${insn.call.imm}`;
      key = text;
    } else if (insn.call) {
      const target = targets.get(insn.index);
      if (target) {
        text = `call ${target}`;
        key = text;
      } else {
        hidden = true;
        text = 'call ?';
        key = undefined; // unknown: neither the same as clang's nor known to differ
      }
    }
    const map = /map\[id:(\d+)\]/.exec(text);
    const mapName = map ? mapNames.get(Number(map[1])) : undefined;
    if (mapName) text = `${text}  ; ${mapName}`;
    const at = lineAt(lines, (l) => l.insn <= insn.index);
    return {
      offset: insn.index,
      text,
      ...(key !== undefined ? { key } : {}),
      ...located(at?.file, at?.line, fileOf),
    };
  });
  if (hidden) notes.push(HIDDEN_CALLS_NOTE);
  return column;
}

function jitColumn({ code, fileOf }: ProgramParts, jit: readonly JitInsn[]): CodeLine[] {
  const starts = code.lines
    .map((l, i) => ({ ...l, offset: code.jited_lines[i] ?? -1 }))
    .filter((l) => l.offset >= 0)
    .sort((a, b) => a.offset - b.offset);
  return jit.map((insn) => {
    const at = lineAt(starts, (l) => l.offset <= insn.offset);
    return { offset: insn.offset, text: insn.text, ...located(at?.file, at?.line, fileOf) };
  });
}

/** The last entry of `sorted` that `before` accepts (line info applies until the next entry). */
function lineAt<T>(sorted: readonly T[], before: (entry: T) => boolean): T | undefined {
  let found: T | undefined;
  for (const entry of sorted) {
    if (!before(entry)) break;
    found = entry;
  }
  return found;
}

function located(
  path: string | undefined,
  line: number | undefined,
  fileOf: (path: string) => string | undefined,
): Pick<CodeLine, 'file' | 'line'> {
  const file = path === undefined ? undefined : fileOf(path);
  return file !== undefined && line !== undefined && line > 0 ? { file, line } : {};
}

/** Above this many comparisons the alignment falls back to matching within each source line. */
const MAX_ALIGNMENT_CELLS = 4_000_000;

/**
 * Marks each verifier instruction that is not in clang's: the longest common subsequence of the
 * two columns' texts is what the verifier kept; the rest it rewrote or added. A call whose target
 * the kernel hides matches any of clang's calls, and is never marked (it is not known to differ).
 */
function markChanged(clang: readonly Keyed[], xlated: Keyed[]): void {
  const same = (a: Keyed, b: Keyed) =>
    a.key === b.key || (b.key === undefined && b.text.startsWith('call ') && a.text.startsWith('call '));
  const n = clang.length;
  const m = xlated.length;
  if (n * m > MAX_ALIGNMENT_CELLS) {
    markChangedByLine(clang, xlated);
    return;
  }
  // lengths[i][j]: LCS of clang[i..] and xlated[j..], row-major in one array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[at(i, j)] = same(clang[i]!, xlated[j]!)
        ? lengths[at(i + 1, j + 1)]! + 1
        : Math.max(lengths[at(i + 1, j)]!, lengths[at(i, j + 1)]!);
    }
  }
  let i = 0;
  let j = 0;
  while (j < m) {
    if (i < n && same(clang[i]!, xlated[j]!)) {
      i++;
      j++;
    } else if (i < n && lengths[at(i + 1, j)]! >= lengths[at(i, j + 1)]!) {
      i++;
    } else {
      if (xlated[j]!.key !== undefined) xlated[j]!.changed = true;
      j++;
    }
  }
}

/** The fallback for very long programs: an instruction clang wrote nowhere on the same line. */
function markChangedByLine(clang: readonly Keyed[], xlated: Keyed[]): void {
  const pool = new Map<string, number>();
  const slot = (insn: Keyed) => `${insn.file ?? ''}:${insn.line ?? 0}\n${insn.key}`;
  for (const insn of clang) pool.set(slot(insn), (pool.get(slot(insn)) ?? 0) + 1);
  for (const insn of xlated) {
    if (insn.key === undefined) continue;
    const left = pool.get(slot(insn)) ?? 0;
    if (left > 0) pool.set(slot(insn), left - 1);
    else insn.changed = true;
  }
}

function unkeyed({ key: _key, ...line }: Keyed): CodeLine {
  return line;
}

/** Maps a path from line info (absolute, in the run directory) to the lab file it names. */
export function labFileOf(files: readonly string[]): (path: string) => string | undefined {
  return (path) => files.find((f) => path === f || path.endsWith(`/${f}`));
}
