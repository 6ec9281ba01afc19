/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libbpf's own messages. They go to stderr unchanged, and the last warning is kept so that an
 * {"type":"error"} line can say why libbpf gave up (a missing BTF type, a failed map create).
 */
#ifndef BPFLAB_LIBBPF_LOG_H
#define BPFLAB_LIBBPF_LOG_H

#include <stdbool.h>

void libbpf_log_init(bool echo_to_stderr);
/* The last warning libbpf printed since the last clear, without its trailing newline, or "". */
const char *libbpf_log_last(void);
void libbpf_log_clear(void);

#endif
