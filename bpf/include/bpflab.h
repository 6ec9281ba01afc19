/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one include a bpflab lab needs: the running kernel's types (vmlinux.h, precompiled), libbpf's
 * BPF-side helpers, and the UAPI constants that vmlinux.h cannot carry because they are macros.
 */
#ifndef BPFLAB_H
#define BPFLAB_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

/* <linux/pkt_cls.h>: tc verdicts. */
#ifndef TC_ACT_OK
#define TC_ACT_UNSPEC (-1)
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2
#define TC_ACT_REDIRECT 7
#endif

/* <linux/if_ether.h> */
#ifndef ETH_P_IP
#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#endif

/* <linux/sched.h>: the size of task->comm and of bpf_get_current_comm()'s buffer. */
#ifndef TASK_COMM_LEN
#define TASK_COMM_LEN 16
#endif

/*
 * clang emits BTF only for types reachable from globals and functions, not for a struct used only
 * inside a function. `bpflab-runner --event-type NAME` decodes ring buffer records through BTF, so
 * a record type must be made reachable: BPFLAB_EVENT_TYPE(exec_event); at file scope.
 */
#define BPFLAB_EVENT_TYPE(name) struct name *__bpflab_event_type_##name __attribute__((unused))

#endif /* BPFLAB_H */
