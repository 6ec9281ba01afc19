/** The learner's sandbox terminal beside the editor. */
'use client';

export function LabTerminal() {
  return null;
}
