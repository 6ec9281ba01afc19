/**
 * How a lab is named: its folder under labs/, the `id` in its lab.yaml, `<Lab id>` and `labs:` in a
 * lesson, and the `labId` of every lab event. Lowercase, so it names the same folder on every
 * file system; short, so it fits in paths and URLs.
 */
import { z } from 'zod';

/** Lowercase letters, digits and dashes, not starting with a dash, at most 64. */
export const LAB_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A lab id as it arrives from a page or a lesson. */
export const LabId = z.string().regex(LAB_ID_PATTERN, 'not a lab id');
