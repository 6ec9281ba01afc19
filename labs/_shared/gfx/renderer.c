// SPDX-License-Identifier: Apache-2.0
/* renderer: the workload of lesson 9. It renders a fixed scene through libgfx for 12 frames,
 * always making the same calls, and prints what it did so your counts can be compared:
 *
 *   load      3 meshes of 65536 bytes (60000 uploaded each), a font texture of 16384 bytes
 *   frame f   a 256-byte uniform buffer (192 bytes uploaded), a 4096-byte staging buffer
 *             ((f + 1) * 300 bytes uploaded), a 1024-byte particle buffer (1024 uploaded),
 *             then 10 + (7 f mod 9) draw calls, then gfx_present()
 *
 * and it has bugs on purpose: the font is never destroyed, the staging buffer of every fourth
 * frame (3, 7, 11) is forgotten, and so is the particle buffer of frames 5 and 10. Loading
 * happens before the first present, so it belongs to frame 0.
 *
 * Build: cc -O2 -g -o renderer renderer.c -L. -lgfx -Wl,-rpath,'$ORIGIN'
 */
#include <stdio.h>

#include "gfx.h"

#define FRAMES 12
#define MESHES 3

static unsigned char scratch[65536]; /* the CPU-side data every upload copies from */

static unsigned int draws_in_frame(unsigned int f) { return 10 + (7 * f) % 9; }

int main(void)
{
	struct gfx_buffer *mesh[MESHES], *font;
	unsigned long long uploaded = 0;
	unsigned int draws = 0;

	for (int i = 0; i < MESHES; i++) {
		mesh[i] = gfx_create_buffer(65536);
		gfx_upload(mesh[i], scratch, 60000);
		uploaded += 60000;
	}
	font = gfx_create_buffer(16384); /* never destroyed */
	gfx_upload(font, scratch, 16384);
	uploaded += 16384;

	for (unsigned int f = 0; f < FRAMES; f++) {
		struct gfx_buffer *uniforms = gfx_create_buffer(256);
		struct gfx_buffer *staging = gfx_create_buffer(4096);
		struct gfx_buffer *particles = gfx_create_buffer(1024);

		gfx_upload(uniforms, scratch, 192);
		gfx_upload(staging, scratch, (f + 1) * 300);
		gfx_upload(particles, scratch, 1024);
		uploaded += 192 + (f + 1) * 300 + 1024;

		for (unsigned int d = 0; d < draws_in_frame(f); d++)
			gfx_draw(mesh[d % MESHES], 3 * d, 300 + d);
		draws += draws_in_frame(f);

		gfx_destroy_buffer(uniforms);
		if (f % 4 != 3)
			gfx_destroy_buffer(staging);
		if (f != 5 && f != 10)
			gfx_destroy_buffer(particles);
		printf("frame %2u: %2u draw calls\n", gfx_present(), draws_in_frame(f));
	}

	for (int i = 0; i < MESHES; i++)
		gfx_destroy_buffer(mesh[i]);
	printf("total: %u draw calls, %llu bytes uploaded, 6 buffers leaked "
	       "(1 x 16384, 3 x 4096, 2 x 1024)\n",
	       draws, uploaded);
	return 0;
}
