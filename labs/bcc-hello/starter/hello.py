#!/usr/bin/env python3
# hello.py: hello-execve written with BCC. One line per execve(): pid, command name, file run.
# Run it with: sudo python3 hello.py   (Ctrl-C stops it)
#
# As it stands this is the classic first BCC program: every execve() writes "Hello World!" to
# the kernel's trace pipe, which the whole machine shares, and trace_print() echoes that pipe.
# Your task: send a record per execve() through a ring buffer instead, and print each one as
#   <pid> <comm> <filename>
# under the header line, the same three columns as the header. Ctrl-C must still end it with
# status 0, also when it arrives while your ring-buffer callback runs (see the lesson).
from bcc import BPF

# BCC compiles this C text at run time with the kernel headers of the running kernel.
program = r"""
int hello(void *ctx)
{
    bpf_trace_printk("Hello World!\n");
    return 0;
}
"""

b = BPF(text=program)
b.attach_kprobe(event=b.get_syscall_fnname("execve"), fn_name="hello")

print("%-7s %-16s %s" % ("PID", "COMM", "FILENAME"), flush=True)
try:
    b.trace_print()
except KeyboardInterrupt:
    pass
