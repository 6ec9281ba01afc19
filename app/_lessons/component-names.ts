/**
 * The names of the components lessons may use. The checker needs only the names (it runs in the
 * content:check CLI, where the React components themselves cannot load); the registry in
 * app/components/mdx/registry.tsx must provide exactly these, which its type enforces.
 */
export const LESSON_COMPONENTS = ['Callout', 'KernelNote', 'Lab', 'Run'] as const;
export type LessonComponentName = (typeof LESSON_COMPONENTS)[number];
