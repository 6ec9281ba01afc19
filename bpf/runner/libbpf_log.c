// SPDX-License-Identifier: Apache-2.0
#include "libbpf_log.h"

#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core_report.h"

static bool echo;
static char last_warning[1024];

static int print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char line[sizeof(last_warning)];
	int n = vsnprintf(line, sizeof(line), fmt, args);
	if (n < 0)
		return n;
	core_report_take(line); /* CO-RE relocation lines, debug level included */
	if (level == LIBBPF_DEBUG)
		return 0;
	if (echo)
		fputs(line, stderr);
	if (level == LIBBPF_WARN) {
		size_t len = strlen(line);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' '))
			line[--len] = '\0';
		/* libbpf ends multi-line reports with a summary line; the first cause is more useful. */
		if (len > 0 && (last_warning[0] == '\0' || !strstr(line, "failed to load object")))
			memcpy(last_warning, line, len + 1);
	}
	return n;
}

void libbpf_log_init(bool echo_to_stderr)
{
	echo = echo_to_stderr;
	libbpf_set_print(print);
}

const char *libbpf_log_last(void)
{
	return last_warning;
}

void libbpf_log_clear(void)
{
	last_warning[0] = '\0';
}
