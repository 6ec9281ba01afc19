/**
 * The kernel-feature vocabulary, re-exported for app/: lessons declare the features they need in
 * their frontmatter (`requires`) and the browser shows them. app/ may import only from
 * server/protocol/, so the one list in server/sandbox/features.ts is published here, not copied.
 */
export { KERNEL_FEATURES, KernelFeature } from '../sandbox/features.js';
