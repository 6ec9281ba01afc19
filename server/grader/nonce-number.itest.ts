/**
 * The run's nonce number on the real kernel: a tiny lab whose tracepoint program counts the UDP
 * datagrams sent to one port, keyed by that port (a u16), with the port set before load from
 * `attach.rodata: { port: "{{nonce_number}}" }`. Its workload sends to $BPFLAB_NONCE_NUMBER and
 * its map check expects the key `{{nonce_number}}`. The program sees every sendto on the machine,
 * so two learners checking at once on one kernel stay exact only if their numbers differ.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, loadLab, repoLabPaths } from '../labs/loader.js';
import { swapBytes } from '../labs/map-format.js';
import { NONCE_NUMBER_MAX, NONCE_NUMBER_MIN } from '../labs/placeholders.js';
import { cannotRunLocalDriver, REPO_ROOT, startTestDriver } from '../sandbox/local/itest-support.js';
import { hostRunner } from '../sandbox/tools-tree.js';
import type { Sandbox } from '../sandbox/types.js';
import { Grader } from './grader.js';
import { nonceNumbers } from './nonce.js';

const skipReason =
  cannotRunLocalDriver() ??
  (existsSync(hostRunner(REPO_ROOT)) ? null : 'the lab toolchain is not built (make -C bpf)');

const LAB_YAML = `# yaml-language-server: $schema=../lab.schema.json
id: port-sends
title: Count the datagrams sent to this run's port
summary: A tracepoint on sendto counts UDP datagrams by destination port.
lesson: udp-game-server
requires: [btf, tracepoint]
files:
  - path: sends.bpf.c
support: [workload.sh]
build:
  bpf: [sends.bpf.c]
attach:
  object: sends.bpf.o
  rodata: { port: "{{nonce_number}}" }
workload:
  run: [./workload.sh]
  timeoutMs: 5000
checks:
  - id: compile
    type: compile
    title: sends.bpf.c compiles
  - id: sends
    type: map
    title: Three datagrams to this run's port, and nothing else
    needs: [compile]
    map: sends
    format: { key: port }
    exhaustive: true
    entries:
      - { key: "{{nonce_number}}", value: 3 }
  - id: same-number
    type: script
    title: The check script sees the workload's number
    needs: [compile]
    run: check.sh
`;

const SENDS_BPF_C = `#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define AF_INET 2

const volatile __u16 port = 0; /* the run's number, from attach.rodata */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u64);
} sends SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_sendto")
int count_sends(struct trace_event_raw_sys_enter *ctx)
{
	struct sockaddr_in to = {};
	__u64 one = 1, *n;
	__u16 dport;

	if (!ctx->args[4] || bpf_probe_read_user(&to, sizeof(to), (void *)ctx->args[4]))
		return 0;
	dport = bpf_ntohs(to.sin_port);
	if (to.sin_family != AF_INET || dport != port)
		return 0;
	n = bpf_map_lookup_elem(&sends, &dport);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&sends, &dport, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
`;

const WORKLOAD_SH = `#!/bin/sh
# Three datagrams to this run's port (nobody listens: sendto does not care), and the number kept
# for the check script.
set -eu
echo "$BPFLAB_NONCE_NUMBER" > sent-to
python3 -c '
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(3):
    s.sendto(b"hi", ("127.0.0.1", int(os.environ["BPFLAB_NONCE_NUMBER"])))
'
`;

const CHECK_SH = `#!/bin/sh
[ "$(cat sent-to)" = "$BPFLAB_NONCE_NUMBER" ] || echo "FAIL: workload had $(cat sent-to), script has $BPFLAB_NONCE_NUMBER"
`;

describe.skipIf(skipReason !== null)(
  `the run's nonce number on the real kernel${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let env: Awaited<ReturnType<typeof startTestDriver>>;
    let sandboxes: Sandbox[];
    let labsDir: string;
    let lab: Lab;
    const grader = new Grader();

    beforeAll(async () => {
      labsDir = await mkdtemp(path.join(tmpdir(), 'bpflab-nonce-number-itest-'));
      const dir = path.join(labsDir, 'port-sends');
      for (const variant of ['starter', 'solution']) {
        await mkdir(path.join(dir, variant), { recursive: true });
        await writeFile(path.join(dir, variant, 'sends.bpf.c'), SENDS_BPF_C);
      }
      await writeFile(path.join(dir, 'lab.yaml'), LAB_YAML);
      await writeFile(path.join(dir, 'workload.sh'), WORKLOAD_SH, { mode: 0o755 });
      await writeFile(path.join(dir, 'check.sh'), CHECK_SH, { mode: 0o755 });
      const loaded = await loadLab('port-sends', { ...repoLabPaths(REPO_ROOT), labsDir });
      if (!loaded.ok) throw new Error(`the test lab does not load: ${JSON.stringify(loaded.problems)}`);
      lab = loaded.lab;
      env = await startTestDriver();
      sandboxes = [
        await env.driver.create({ sessionId: 'nonce-number-a' }),
        await env.driver.create({ sessionId: 'nonce-number-b' }),
      ];
    });

    afterAll(async () => {
      await grader.close();
      await env?.close();
      await rm(labsDir, { recursive: true, force: true });
    });

    it('gives two learners checking at once their own port, each counted exactly, and frees both', async () => {
      const before = nonceNumbers.inUse;
      const grades = await Promise.all(
        sandboxes.map((sandbox) => grader.grade({ lab, files: { 'sends.bpf.c': SENDS_BPF_C }, sandbox })),
      );

      const ports = grades.map((g) => {
        expect(g.message).toMatch(/^All 3 checks passed/);
        const expected = g.checks.find((c) => c.id === 'sends')?.expected ?? '';
        const port = Number(/^sends: (\d+) → 3, and nothing else$/.exec(expected)?.[1]);
        expect(port).toBeGreaterThanOrEqual(NONCE_NUMBER_MIN);
        expect(port).toBeLessThanOrEqual(NONCE_NUMBER_MAX);
        return port;
      });
      expect(ports[0]).not.toBe(ports[1]);
      expect(nonceNumbers.inUse).toBe(before);
    });

    it('names the byte-swapped port of a program that keys the map in network byte order', async () => {
      const networkOrder = SENDS_BPF_C.replace(
        '\tn = bpf_map_lookup_elem(&sends, &dport);',
        '\tdport = to.sin_port; /* the mistake: the key as in the packet */\n\tn = bpf_map_lookup_elem(&sends, &dport);',
      );
      expect(networkOrder).toContain('the mistake');
      const grade = await grader.grade({
        lab,
        files: { 'sends.bpf.c': networkOrder },
        sandbox: sandboxes[0]!,
      });

      const sends = grade.checks.find((c) => c.id === 'sends');
      const port = Number(/^sends: (\d+) →/.exec(sends?.expected ?? '')?.[1]);
      const swapped = swapBytes(port, 2);
      // A number whose two bytes are equal (0x5050) reads the same either way: that run passes.
      if (swapped === port) expect(sends?.status).toBe('passed');
      else {
        expect(sends?.status).toBe('failed');
        expect(sends?.actual).toContain(`the key ${swapped} is ${port} with its two bytes swapped`);
      }
      expect(grade.checks.find((c) => c.id === 'same-number')?.status).toBe('passed');
    });
  },
);
