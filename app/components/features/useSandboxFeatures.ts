/**
 * The learner's sandbox's kernel features, asked over the page's socket (`session:features`) and
 * asked again after a reconnect. Asking starts the sandbox when there is none yet, like opening a
 * terminal does; pass `enabled: false` to ask nothing.
 */
'use client';

import { useEffect, useState } from 'react';
import { request, usePlatformSocket } from '@/app/lib/socket';
import type { KernelFeatures } from '@/server/protocol/kernel-features';

/** Probing takes a few seconds once the sandbox is up (not counting its start: the sandbox's clock). */
const FEATURES_TIMEOUT_MS = 30_000;

export interface SandboxFeatures {
  /** null until the server answered. */
  features: KernelFeatures | null;
  /** Why there is no answer, in the server's words; null otherwise. */
  problem: string | null;
}

export function useSandboxFeatures(enabled = true): SandboxFeatures {
  const socket = usePlatformSocket();
  const [features, setFeatures] = useState<KernelFeatures | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!socket || !enabled) return;
    const load = async () => {
      const reply = await request(
        socket,
        { ms: FEATURES_TIMEOUT_MS, sandbox: true },
        'session:features',
        undefined,
      ).catch(() => ({ ok: false as const, error: 'The server did not answer' }));
      if (reply.ok) {
        setFeatures(reply.value);
        setProblem(null);
      } else {
        setProblem(reply.error);
      }
    };
    if (socket.connected) void load();
    socket.on('connect', load);
    return () => {
      socket.off('connect', load);
    };
  }, [socket, enabled]);

  return { features, problem };
}
