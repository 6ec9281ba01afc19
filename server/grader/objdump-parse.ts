/**
 * Parsers for the two disassemblies the Program view takes from tools rather than from the
 * kernel: `llvm-objdump -d -l -r --no-show-raw-insn` of the learner's BPF object (clang's
 * instructions, each under the `; file:line` it came from, with the relocation that names a map),
 * and GNU `objdump -D -b binary` of a JIT image (machine code by byte offset).
 */

/** One instruction clang produced, in llvm-objdump's words. */
export interface ClangInsn {
  index: number;
  /** The instruction without llvm-objdump's `<LBB0_2>` jump labels. */
  text: string;
  /** The symbol a relocation on this instruction names (a map, a global). */
  relocation?: string;
  file?: string;
  line?: number;
}

/** One function of the object: a program (or a subprogram) in its ELF section. */
export interface ClangFunction {
  section: string;
  name: string;
  insns: ClangInsn[];
}

const SECTION = /^Disassembly of section (.+):$/;
const SYMBOL = /^[0-9a-f]+ <([^>]+)>:$/;
const LOCATION = /^; (.+):(\d+)$/;
const INSN = /^\s*(\d+):\t(.*)$/;
const RELOCATION = /^\s+[0-9a-f]+:\s+R_BPF_\S+\s+(\S+)/;
/** Jump targets llvm-objdump names as labels: they continue the function they are in. */
const LOCAL_LABEL = /^(LBB\d+_\d+|\.L.*)$/;

export function parseLlvmObjdump(output: string): ClangFunction[] {
  const functions: ClangFunction[] = [];
  let section = '';
  let current: ClangFunction | null = null;
  let location: { file: string; line: number } | null = null;
  for (const line of output.split('\n')) {
    const sectionMatch = SECTION.exec(line);
    if (sectionMatch) {
      section = sectionMatch[1]!;
      current = null;
      location = null;
      continue;
    }
    const symbol = SYMBOL.exec(line);
    if (symbol) {
      if (!LOCAL_LABEL.test(symbol[1]!) || !current) {
        current = { section, name: symbol[1]!, insns: [] };
        functions.push(current);
        location = null;
      }
      continue;
    }
    const at = LOCATION.exec(line);
    if (at) {
      location = { file: at[1]!, line: Number(at[2]) };
      continue;
    }
    const relocation = RELOCATION.exec(line);
    const last = current?.insns.at(-1);
    if (relocation && last) {
      last.relocation = relocation[1]!;
      continue;
    }
    const insn = INSN.exec(line);
    if (insn && current) {
      current.insns.push({
        index: Number(insn[1]),
        text: insn[2]!.replace(/ <[^>]+>$/, '').trim(),
        ...(location && location.line > 0 ? location : {}),
      });
    }
  }
  return functions;
}

/** One machine instruction of a JIT image. */
export interface JitInsn {
  offset: number;
  text: string;
}

const JIT_INSN = /^\s*([0-9a-f]+):\t(.*)$/;

/** `objdump -D -b binary -m <arch> --no-show-raw-insn` of a JIT image. */
export function parseJitObjdump(output: string): JitInsn[] {
  const insns: JitInsn[] = [];
  for (const line of output.split('\n')) {
    const m = JIT_INSN.exec(line);
    if (m) insns.push({ offset: Number.parseInt(m[1]!, 16), text: m[2]!.replace(/\s+/g, ' ').trim() });
  }
  return insns;
}
