#!/usr/bin/env node
// The `bpflab` command (`npx bpflab …`): runs scripts/bpflab.ts through tsx. npm does not link a
// package's own bin for itself, so `postinstall` links this file into node_modules/.bin.
import { register } from 'tsx/esm/api';

register();
await import('./bpflab.ts');
