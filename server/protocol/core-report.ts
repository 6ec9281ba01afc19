/**
 * The CO-RE report a grade carries: each relocation libbpf applied to the learner's object when it
 * loaded it on this kernel (the field, type or enum value the program accessed, its value in the
 * object and on this kernel) and each one that failed, in words. The server builds it from
 * libbpf's log (server/grader/core-report.ts); the lab shows it on request (CoreReport.tsx).
 */

/** The most relocations a grade carries; the rest are counted in `omitted`. */
export const CORE_REPORT_LIMIT = 300;

export interface CoreReport {
  /** In the order libbpf applied them: program by program, instruction by instruction. */
  relocations: CoreRelocation[];
  /** Relocations left out to keep the grade small (over CORE_REPORT_LIMIT). */
  omitted: number;
  /** false when the runner had no room for every relocation line: there were more than these. */
  complete: boolean;
}

/**
 * `applied`: the instruction was patched with this kernel's value (an "exists" check that is 0
 * here is applied too). `poisoned`: nothing on this kernel matches, and libbpf replaced the
 * instruction with an invalid one that the verifier rejects if it can run. `failed`: libbpf gave
 * up on the relocation, and with it on loading the object.
 */
export type CoreRelocationStatus = 'applied' | 'poisoned' | 'failed';

export interface CoreRelocation {
  program: string;
  /** libbpf's number for it (`relo #N`), counted per ELF section. */
  index: number;
  /** The instruction libbpf patched or poisoned, counted from the program's first. */
  instruction?: number;
  /** libbpf's name of the relocation kind: `byte_off`, `field_exists`, `enumval_value`, … */
  kind: string;
  /** The kind in words: "field offset", "field exists", "enum value", … */
  kindText: string;
  /** What the program accessed, as the object names it: `struct task_struct.real_parent`. */
  access: string;
  /** The kernel's type it resolved against, when one matched: `struct task_struct`. */
  kernelType?: string;
  /** The value compiled into the object (an offset, a size, 1 for "exists", …). */
  objectValue?: number;
  /** The value on this kernel, when the instruction was patched. */
  kernelValue?: number;
  status: CoreRelocationStatus;
  /** What it resolved to, or why it failed and what that means for the program. */
  explanation: string;
}
