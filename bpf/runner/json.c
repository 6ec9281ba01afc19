// SPDX-License-Identifier: Apache-2.0
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* JavaScript's JSON.parse keeps integers exactly only up to 2^53 - 1; larger ones become strings. */
#define JSON_SAFE_INTEGER ((uint64_t)9007199254740991ULL)

static void reserve(struct json *j, size_t extra)
{
	size_t need = j->len + extra + 1;
	if (need <= j->cap)
		return;
	size_t cap = j->cap ? j->cap : 256;
	while (cap < need)
		cap *= 2;
	char *buf = realloc(j->buf, cap);
	if (!buf) {
		/* Output is the runner's only product; without memory there is nothing sane to do. */
		fputs("bpflab-runner: out of memory\n", stderr);
		abort();
	}
	j->buf = buf;
	j->cap = cap;
}

static void put(struct json *j, const char *s, size_t n)
{
	reserve(j, n);
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void putc_(struct json *j, char c)
{
	put(j, &c, 1);
}

/* Separates values: a comma unless this is the first value at this depth or follows a key. */
static void value_prefix(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		putc_(j, ',');
	j->need_comma[j->depth] = true;
}

static void open_(struct json *j, char c)
{
	value_prefix(j);
	putc_(j, c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	putc_(j, c);
	if (j->depth > 0)
		j->depth--;
}

void json_object_begin(struct json *j) { open_(j, '{'); }
void json_object_end(struct json *j) { close_(j, '}'); }
void json_array_begin(struct json *j) { open_(j, '['); }
void json_array_end(struct json *j) { close_(j, ']'); }

/* The length of the valid UTF-8 sequence starting at p (at most n bytes), or 0 if invalid. */
static size_t utf8_sequence_length(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (p[k] < 0x80 || p[k] > 0xbf)
			return 0;
	return len;
}

static void put_escaped(struct json *j, const char *s, size_t n)
{
	putc_(j, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		switch (c) {
		case '"': put(j, "\\\"", 2); break;
		case '\\': put(j, "\\\\", 2); break;
		case '\n': put(j, "\\n", 2); break;
		case '\r': put(j, "\\r", 2); break;
		case '\t': put(j, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				put(j, esc, 6);
			} else if (c < 0x80) {
				putc_(j, (char)c);
			} else {
				/* Kernel strings (comm, paths) are bytes: keep valid UTF-8, replace the rest. */
				size_t len = utf8_sequence_length((const unsigned char *)s + i, n - i);
				if (len) {
					put(j, s + i, len);
					i += len - 1;
				} else {
					put(j, "\\ufffd", 6);
				}
			}
		}
	}
	putc_(j, '"');
}

void json_key(struct json *j, const char *key)
{
	value_prefix(j);
	put_escaped(j, key, strlen(key));
	putc_(j, ':');
	j->after_key = true;
}

void json_string_n(struct json *j, const char *s, size_t n)
{
	value_prefix(j);
	put_escaped(j, s, n);
}

void json_string(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_string_n(j, s, strlen(s));
}

void json_int(struct json *j, int64_t v)
{
	char num[32];
	value_prefix(j);
	if (v > (int64_t)JSON_SAFE_INTEGER || v < -(int64_t)JSON_SAFE_INTEGER)
		snprintf(num, sizeof(num), "\"%" PRId64 "\"", v);
	else
		snprintf(num, sizeof(num), "%" PRId64, v);
	put(j, num, strlen(num));
}

void json_uint(struct json *j, uint64_t v)
{
	char num[32];
	value_prefix(j);
	if (v > JSON_SAFE_INTEGER)
		snprintf(num, sizeof(num), "\"%" PRIu64 "\"", v);
	else
		snprintf(num, sizeof(num), "%" PRIu64, v);
	put(j, num, strlen(num));
}

void json_double(struct json *j, double v)
{
	char num[40];
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	value_prefix(j);
	snprintf(num, sizeof(num), "%.17g", v);
	put(j, num, strlen(num));
}

void json_bool(struct json *j, bool v)
{
	value_prefix(j);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json *j)
{
	value_prefix(j);
	put(j, "null", 4);
}

void json_hex(struct json *j, const void *data, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;
	value_prefix(j);
	reserve(j, 2 * n + 2);
	putc_(j, '"');
	for (size_t i = 0; i < n; i++) {
		putc_(j, digits[p[i] >> 4]);
		putc_(j, digits[p[i] & 0xf]);
	}
	putc_(j, '"');
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_line_begin(struct json *j, const char *type)
{
	json_object_begin(j);
	json_kv_string(j, "type", type);
}

int json_emit(struct json *j)
{
	int err = 0;
	putc_(j, '\n');
	/* write(2) in a loop: a line is never interleaved, and a non-blocking stdout inherited from
	 * the caller waits for room instead of failing the run. */
	for (size_t off = 0; off < j->len;) {
		ssize_t n = write(STDOUT_FILENO, j->buf + off, j->len - off);
		if (n >= 0) {
			off += n;
		} else if (errno == EAGAIN) {
			struct pollfd out = {.fd = STDOUT_FILENO, .events = POLLOUT};
			poll(&out, 1, -1);
		} else if (errno != EINTR) {
			err = -errno;
			break;
		}
	}
	json_reset(j);
	return err;
}

void json_reset(struct json *j)
{
	j->len = 0;
	j->depth = 0;
	j->after_key = false;
	j->need_comma[0] = false;
}

void json_free(struct json *j)
{
	free(j->buf);
	*j = (struct json){0};
}

int json_emit_text_lines(struct json *j, const char *type, const char *program, char *buf, size_t *len,
			 bool flush)
{
	char *start = buf, *end = buf + *len, *nl;
	int err = 0;
	while (!err && ((nl = memchr(start, '\n', end - start)) || (flush && start < end))) {
		size_t n = nl ? (size_t)(nl - start) : (size_t)(end - start);
		json_line_begin(j, type);
		if (program)
			json_kv_string(j, "program", program);
		json_key(j, "line");
		json_string_n(j, start, n);
		json_object_end(j);
		err = json_emit(j);
		start += n + (nl ? 1 : 0);
	}
	*len = end - start;
	memmove(buf, start, *len);
	return err;
}

int json_error_line(struct json *j, const char *stage, const char *program, const char *msg)
{
	json_line_begin(j, "error");
	json_kv_string(j, "stage", stage);
	if (program)
		json_kv_string(j, "program", program);
	json_kv_string(j, "message", msg);
	json_object_end(j);
	return json_emit(j);
}

int json_warning_line(struct json *j, const char *msg)
{
	json_line_begin(j, "warning");
	json_kv_string(j, "stage", "run");
	json_kv_string(j, "message", msg);
	json_object_end(j);
	return json_emit(j);
}
