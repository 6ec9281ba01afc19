/**
 * The components a lesson may use, by the name it uses them under. content:check rejects any
 * other capitalized JSX name; the `satisfies` keeps this map and that list (component-names.ts)
 * identical.
 */
import type { LessonComponentName } from '@/app/_lessons/component-names';
import { LazyLab } from '../lab/LazyLab';
import { Callout } from './Callout';
import { KernelNote } from './KernelNote';
import { Run } from './Run';

export const lessonComponents = { Callout, KernelNote, Lab: LazyLab, Run } satisfies Record<
  LessonComponentName,
  unknown
>;
