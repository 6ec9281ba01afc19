// SPDX-License-Identifier: Apache-2.0
/* libgfx (see gfx.h). Build: cc -O2 -g -fPIC -shared -o libgfx.so gfx.c */
#include <stdlib.h>
#include <string.h>

#include "gfx.h"

struct gfx_buffer {
	size_t size;
	unsigned char *memory;
};

/* What a driver would track; it gives every call an effect the compiler cannot drop. */
static unsigned long long vertices_this_frame;
static unsigned int frame;

struct gfx_buffer *gfx_create_buffer(size_t size)
{
	struct gfx_buffer *buf = malloc(sizeof(*buf));

	if (!buf)
		return NULL;
	buf->size = size;
	buf->memory = calloc(1, size ? size : 1);
	if (!buf->memory) {
		free(buf);
		return NULL;
	}
	return buf;
}

void gfx_destroy_buffer(struct gfx_buffer *buf)
{
	if (!buf)
		return;
	free(buf->memory);
	free(buf);
}

void gfx_upload(struct gfx_buffer *buf, const void *data, size_t bytes)
{
	if (!buf)
		return;
	memcpy(buf->memory, data, bytes < buf->size ? bytes : buf->size);
}

void gfx_draw(struct gfx_buffer *buf, unsigned int first, unsigned int count)
{
	if (buf)
		vertices_this_frame += count;
}

unsigned int gfx_present(void)
{
	vertices_this_frame = 0;
	return frame++;
}
