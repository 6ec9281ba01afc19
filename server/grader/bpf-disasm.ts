/**
 * A disassembler for BPF instructions as the kernel returns them (xlated, from `bpflab-runner
 * code`), written in llvm-objdump's syntax so that an instruction the verifier left alone reads
 * exactly as it does in clang's column and the two can be compared text for text. What only the
 * kernel writes (map ids in place of relocations, per-CPU address moves) reads as bpftool writes it.
 */

export interface BpfInsn {
  /** Index of the instruction's first 8-byte slot (a 64-bit load takes two). */
  index: number;
  text: string;
  /** The call instruction's raw immediate, for callers that name call targets. */
  call?: { kind: 'helper' | 'subprog' | 'kfunc'; imm: number };
}

const ALU_OPS: Record<number, string> = {
  0: '+=',
  16: '-=',
  32: '*=',
  48: '/=',
  64: '|=',
  80: '&=',
  96: '<<=',
  112: '>>=',
  144: '%=',
  160: '^=',
  176: '=',
  192: 's>>=',
};

const JMP_OPS: Record<number, string> = {
  16: '==',
  32: '>',
  48: '>=',
  64: '&',
  80: '!=',
  96: 's>',
  112: 's>=',
  160: '<',
  176: '<=',
  192: 's<',
  208: 's<=',
};

const SIZES: Record<number, string> = { 0: 'u32', 8: 'u16', 16: 'u8', 24: 'u64' };
const SIGNED_SIZES: Record<number, string> = { 0: 's32', 8: 's16', 16: 's8' };

const ATOMIC_OPS: Record<number, string> = { 0: 'add', 64: 'or', 80: 'and', 160: 'xor' };
const ATOMIC_SIGNS: Record<number, string> = { 0: '+=', 64: '|=', 80: '&=', 160: '^=' };
const BPF_FETCH = 0x01;
const BPF_XCHG = 0xe0 | BPF_FETCH;
const BPF_CMPXCHG = 0xf0 | BPF_FETCH;

/** BPF_PSEUDO_* in a 64-bit load's source register (the kernel puts the map's id in imm). */
const PSEUDO_MAP_FD = 1;
const PSEUDO_MAP_VALUE = 2;
const PSEUDO_CALL = 1;
const PSEUDO_KFUNC_CALL = 2;

/** Decodes a hex string of little-endian 8-byte instructions (as the runner prints them). */
export function disassemble(hex: string): BpfInsn[] {
  if (hex.length % 16 !== 0 || !/^[0-9a-f]*$/i.test(hex))
    throw new Error(`BPF instructions: expected a multiple of 16 hex digits, got ${hex.length}`);
  const bytes = Buffer.from(hex, 'hex');
  const out: BpfInsn[] = [];
  for (let i = 0; i < bytes.length / 8; i++) {
    const at = i * 8;
    const code = bytes[at]!;
    const regs = bytes[at + 1]!;
    const raw = {
      code,
      dst: regs & 0x0f,
      src: regs >> 4,
      off: bytes.readInt16LE(at + 2),
      imm: bytes.readInt32LE(at + 4),
    };
    if (code === 0x18 && at + 16 <= bytes.length) {
      const high = bytes.readUInt32LE(at + 12);
      out.push({ index: i, text: loadImm64(raw, high) });
      i++;
      continue;
    }
    out.push({ index: i, ...decode(raw) });
  }
  return out;
}

interface Raw {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

function decode(insn: Raw): Omit<BpfInsn, 'index'> {
  const cls = insn.code & 0x07;
  switch (cls) {
    case 0x04: // ALU (32-bit)
    case 0x07: // ALU64
      return { text: alu(insn, cls === 0x07) };
    case 0x05: // JMP
    case 0x06: // JMP32
      return jump(insn, cls === 0x06);
    case 0x01: // LDX
      return { text: `r${insn.dst} = *(${sizeOf(insn)} *)${address(insn.src, insn.off)}` };
    case 0x02: // ST
      return { text: `*(${SIZES[insn.code & 0x18]} *)${address(insn.dst, insn.off)} = ${insn.imm}` };
    case 0x03: // STX
      return { text: store(insn) };
    case 0x00: // LD: legacy packet access
      if ((insn.code & 0xe0) === 0x20)
        return { text: `r0 = *(${SIZES[insn.code & 0x18]} *)skb[${insn.imm}]` };
      if ((insn.code & 0xe0) === 0x40)
        return { text: `r0 = *(${SIZES[insn.code & 0x18]} *)skb[r${insn.src} + ${insn.imm}]` };
  }
  return { text: unknown(insn) };
}

function loadImm64(insn: Raw, high: number): string {
  if (insn.src === PSEUDO_MAP_FD) return `r${insn.dst} = map[id:${insn.imm}]`;
  if (insn.src === PSEUDO_MAP_VALUE) return `r${insn.dst} = map[id:${insn.imm}][0]+${high}`;
  // Signed decimal, as llvm-objdump writes it.
  const value = BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(insn.imm >>> 0));
  return `r${insn.dst} = ${value} ll`;
}

function alu(insn: Raw, wide: boolean): string {
  const reg = wide ? 'r' : 'w';
  const op = insn.code & 0xf0;
  const fromReg = (insn.code & 0x08) !== 0;
  if (op === 0x80) return `${reg}${insn.dst} = -${reg}${insn.dst}`;
  if (op === 0xd0) {
    // BPF_END: byte swap; ALU64 form is the unconditional bswap.
    const kind = wide ? 'bswap' : fromReg ? 'be' : 'le';
    return `r${insn.dst} = ${kind}${insn.imm} r${insn.dst}`;
  }
  const sign = ALU_OPS[op];
  if (!sign) return unknown(insn);
  if (op === 0xb0 && fromReg && wide && insn.off === -1)
    return `r${insn.dst} = &(void __percpu *)(r${insn.src})`;
  if (op === 0xb0 && fromReg && (insn.off === 8 || insn.off === 16 || insn.off === 32))
    return `${reg}${insn.dst} = (s${insn.off})${reg}${insn.src}`;
  return `${reg}${insn.dst} ${sign} ${fromReg ? `${reg}${insn.src}` : insn.imm}`;
}

function jump(insn: Raw, narrow: boolean): Omit<BpfInsn, 'index'> {
  const op = insn.code & 0xf0;
  const target = insn.off >= 0 ? `+${insn.off}` : `${insn.off}`;
  if (op === 0x00) return { text: `goto ${narrow ? (insn.imm >= 0 ? `+${insn.imm}` : insn.imm) : target}` };
  if (op === 0x80) {
    if (insn.src === PSEUDO_CALL)
      return { text: `call ${insn.imm}`, call: { kind: 'subprog', imm: insn.imm } };
    if (insn.src === PSEUDO_KFUNC_CALL)
      return { text: `call ${insn.imm}`, call: { kind: 'kfunc', imm: insn.imm } };
    return { text: `call ${insn.imm}`, call: { kind: 'helper', imm: insn.imm } };
  }
  if (op === 0x90) return { text: 'exit' };
  const sign = JMP_OPS[op];
  if (!sign) return { text: unknown(insn) };
  const reg = narrow ? 'w' : 'r';
  const right = insn.code & 0x08 ? `${reg}${insn.src}` : String(insn.imm);
  return { text: `if ${reg}${insn.dst} ${sign} ${right} goto ${target}` };
}

function store(insn: Raw): string {
  const size = SIZES[insn.code & 0x18]!;
  const mode = insn.code & 0xe0;
  const at = address(insn.dst, insn.off);
  if (mode === 0x60) return `*(${size} *)${at} = r${insn.src}`;
  if (mode !== 0xc0) return unknown(insn);
  // BPF_ATOMIC
  const reg = size === 'u64' ? 'r' : 'w';
  const bits = size === 'u64' ? '64' : '32';
  if (insn.imm === BPF_XCHG) return `${reg}${insn.src} = xchg_${bits}(r${insn.dst} ${offset(insn.off)})`;
  if (insn.imm === BPF_CMPXCHG)
    return `${reg}0 = cmpxchg_${bits}(r${insn.dst} ${offset(insn.off)}, ${reg}0, ${reg}${insn.src})`;
  const name = ATOMIC_OPS[insn.imm & ~BPF_FETCH];
  if (!name) return unknown(insn);
  if (insn.imm & BPF_FETCH)
    return `${reg}${insn.src} = atomic_fetch_${name}((${size} *)${at}, ${reg}${insn.src})`;
  // llvm-objdump 14 writes the source as rN for 32-bit atomics too (the old XADD syntax).
  return `lock *(${size} *)${at} ${ATOMIC_SIGNS[insn.imm]} r${insn.src}`;
}

/** LDX's size: signed for BPF_MEMSX (0x80), unsigned for BPF_MEM. */
function sizeOf(insn: Raw): string {
  return (insn.code & 0xe0) === 0x80 ? SIGNED_SIZES[insn.code & 0x18]! : SIZES[insn.code & 0x18]!;
}

function address(reg: number, off: number): string {
  return `(r${reg} ${offset(off)})`;
}

function offset(off: number): string {
  return off < 0 ? `- ${-off}` : `+ ${off}`;
}

function unknown(insn: Raw): string {
  return `.insn code=0x${insn.code.toString(16).padStart(2, '0')} dst=r${insn.dst} src=r${insn.src} off=${insn.off} imm=${insn.imm}`;
}
