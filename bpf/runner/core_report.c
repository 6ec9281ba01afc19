// SPDX-License-Identifier: Apache-2.0
#include "core_report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A program with a few hundred CO-RE reads prints about four lines per relocation. */
#define MAX_LINES 2048
#define MAX_LINE 512

static char *lines[MAX_LINES];
static size_t nlines;
static size_t omitted;
/* libbpf may print one line in several calls; the start of the line is kept here. */
static char pending[MAX_LINE];
static size_t pending_len;

/* Lines about one relocation: "prog 'p': relo #3: …" (spec, candidates, patched or poisoned insn, failure). */
static bool is_relocation_line(const char *line)
{
	if (strncmp(line, "libbpf: ", 8) == 0)
		line += 8;
	return strncmp(line, "prog '", 6) == 0 && strstr(line, "': relo #") != NULL;
}

static void keep(const char *line)
{
	if (!is_relocation_line(line))
		return;
	if (nlines == MAX_LINES) {
		omitted++;
		return;
	}
	lines[nlines] = strdup(line);
	if (lines[nlines])
		nlines++;
}

void core_report_take(const char *text)
{
	while (*text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		size_t room = sizeof(pending) - 1 - pending_len;
		size_t copied = len < room ? len : room; /* a longer line is cut */
		memcpy(pending + pending_len, text, copied);
		pending_len += copied;
		pending[pending_len] = '\0';
		if (!end)
			return;
		keep(pending);
		pending_len = 0;
		text = end + 1;
	}
}

void core_report_clear(void)
{
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	nlines = 0;
	omitted = 0;
	pending_len = 0;
}

void core_report_emit(struct json *j)
{
	if (nlines > 0) {
		json_line_begin(j, "core");
		json_key(j, "lines");
		json_array_begin(j);
		for (size_t i = 0; i < nlines; i++)
			json_string(j, strncmp(lines[i], "libbpf: ", 8) == 0 ? lines[i] + 8 : lines[i]);
		json_array_end(j);
		json_kv_int(j, "omitted", (int64_t)omitted);
		json_object_end(j);
		json_emit(j);
	}
	core_report_clear();
}
