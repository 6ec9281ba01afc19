/**
 * ELF section names of BPF programs as libbpf reads them: spellings that libbpf's section_defs
 * treat alike (the same program type, attached the same way) compare equal in load checks, so a
 * lab that asks for `tracepoint/syscalls/sys_enter_execve` accepts a learner's `tp/…`, and one
 * that asks for `tc` accepts `classifier` or `tc/ingress` (which bpflab-runner attaches alike).
 */

/** Prefixes libbpf defines as aliases of one another, each mapped to one spelling. */
const PREFIX_ALIASES: readonly [alias: string, canonical: string][] = [
  ['tp/', 'tracepoint/'],
  ['raw_tp/', 'raw_tracepoint/'],
  ['raw_tp.w/', 'raw_tracepoint.w/'],
  ['classifier/', 'tc/'],
];

/** Whole names that are one another's: bare `tc` (and libbpf's old `classifier`) attach at ingress. */
const NAME_ALIASES: Readonly<Record<string, string>> = {
  tc: 'tc/ingress',
  classifier: 'tc/ingress',
};

/** The one spelling of a section among those libbpf treats alike. */
export function canonicalSection(section: string): string {
  const name = section.startsWith('?') ? section.slice(1) : section; // `?`: not auto-loaded, same type
  const whole = NAME_ALIASES[name];
  if (whole) return whole;
  for (const [alias, canonical] of PREFIX_ALIASES) {
    if (name.startsWith(alias)) return canonical + name.slice(alias.length);
  }
  return name;
}

export function sameSection(a: string, b: string): boolean {
  return canonicalSection(a) === canonicalSection(b);
}
