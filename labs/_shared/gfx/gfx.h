/* libgfx: a stand-in graphics runtime for lesson 9. It has the shape of a real GPU API (buffers
 * created, filled from CPU memory, drawn from, destroyed; frames ended by a present) but keeps
 * everything in CPU memory, so it runs anywhere and its calls are what uprobes measure. */
#ifndef BPFLAB_GFX_H
#define BPFLAB_GFX_H

#include <stddef.h>

struct gfx_buffer;

/* A buffer of `size` bytes of "GPU" memory, or NULL when out of memory. */
struct gfx_buffer *gfx_create_buffer(size_t size);

/* Frees a buffer made by gfx_create_buffer; NULL is ignored. */
void gfx_destroy_buffer(struct gfx_buffer *buf);

/* Copies `bytes` bytes from CPU memory into the start of `buf` (clamped to its size). */
void gfx_upload(struct gfx_buffer *buf, const void *data, size_t bytes);

/* Draws `count` vertices of `buf`, starting at vertex `first`. */
void gfx_draw(struct gfx_buffer *buf, unsigned int first, unsigned int count);

/* Ends the current frame; returns the number of the frame that was ended (from 0). */
unsigned int gfx_present(void);

#endif /* BPFLAB_GFX_H */
