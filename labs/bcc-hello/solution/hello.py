#!/usr/bin/env python3
# hello.py: hello-execve written with BCC. One line per execve(): pid, command name, file run.
# Run it with: sudo python3 hello.py   (Ctrl-C stops it)
import signal

from bcc import BPF

# BCC compiles this C text at run time with the kernel headers of the running kernel.
program = r"""
#include <linux/sched.h>

struct event {
    u32 pid;
    char comm[TASK_COMM_LEN];
    char filename[64];
};

BPF_RINGBUF_OUTPUT(events, 8);

/*
 * The "syscall__" prefix tells BCC that this is a system call entry: it reads filename from the
 * system call's own registers, not from those of the kernel's syscall wrapper.
 */
int syscall__execve(struct pt_regs *ctx, const char __user *filename)
{
    struct event e = {};

    e.pid = bpf_get_current_pid_tgid() >> 32;
    bpf_get_current_comm(&e.comm, sizeof(e.comm));
    bpf_probe_read_user_str(&e.filename, sizeof(e.filename), filename);
    events.ringbuf_output(&e, sizeof(e), 0);
    return 0;
}
"""

b = BPF(text=program)
b.attach_kprobe(event=b.get_syscall_fnname("execve"), fn_name="syscall__execve")


def print_event(ctx, data, size):
    e = b["events"].event(data)
    comm = e.comm.decode(errors="replace")
    filename = e.filename.decode(errors="replace")
    print("%-7d %-16s %s" % (e.pid, comm, filename), flush=True)


# Ctrl-C sets a flag that the loop reads after every poll. A KeyboardInterrupt alone would miss
# the Ctrl-C that arrives while BCC is running print_event: an exception raised inside a ctypes
# callback is printed ("Exception ignored on calling ctypes callback function") and dropped, and
# the loop would go on polling.
stop = False


def on_sigint(signum, frame):
    global stop
    stop = True


signal.signal(signal.SIGINT, on_sigint)
b["events"].open_ring_buffer(print_event)
print("%-7s %-16s %s" % ("PID", "COMM", "FILENAME"), flush=True)
while not stop:
    b.ring_buffer_poll(100)
