/* SPDX-License-Identifier: Apache-2.0 */
/* A JSON line writer: build one object in memory, then emit it as a single line on stdout. */
#ifndef BPFLAB_JSON_H
#define BPFLAB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

struct json {
	char *buf;
	size_t len, cap;
	int depth;
	/* need_comma[d]: a value was already written at depth d. */
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_string_n(struct json *j, const char *s, size_t n);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Bytes as a lowercase hex string, for data without a type. */
void json_hex(struct json *j, const void *data, size_t n);

/* Shorthands for "key": value pairs. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/* Writes the finished line to stdout, flushes, and resets j for reuse. Returns -errno on error. */
int json_emit(struct json *j);
/* Drops an unfinished line. */
void json_reset(struct json *j);
void json_free(struct json *j);

/* Starts a line {"type": type, ... }; finish it with json_object_end + json_emit. */
void json_line_begin(struct json *j, const char *type);

/* Writes {"type":"error","stage":stage,"program":program,"message":msg} ("program" when not NULL). */
int json_error_line(struct json *j, const char *stage, const char *program, const char *msg);

/* Writes {"type":"warning","stage":"run","message":msg}: something the run goes on without. */
int json_warning_line(struct json *j, const char *msg);

/*
 * Emits each complete line of text in buf[0..*len) as {"type":type,"program":program,"line":…}
 * ("program" only when not NULL), all of it when flush, and moves a partial last line to buf's
 * start (*len is then its length). Returns -errno when stdout cannot be written.
 */
int json_emit_text_lines(struct json *j, const char *type, const char *program, char *buf, size_t *len,
			 bool flush);

#endif
