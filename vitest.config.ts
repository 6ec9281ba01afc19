import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The same `@/` alias as tsconfig.json, so app modules import each other the same way in tests.
const resolve = { alias: { '@': path.resolve(import.meta.dirname) } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['server/**/*.itest.ts', 'bpf/**/*.itest.ts', 'scripts/**/*.itest.ts'],
          environment: 'node',
          // Integration tests share one kernel: run files one at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
