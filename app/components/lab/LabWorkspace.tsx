/**
 * The lab's workspace: the editor column (file tabs, editor, the grading actions under it) beside
 * the learner's terminal, with the feedback (verdict, hints, run output) under the terminal, next
 * to Check. On a wide window a separator between the columns resizes them: drag it, or focus it
 * and use the arrow keys (split.ts holds the rule). On a narrow one everything stacks.
 *
 * The DOM order is the keyboard's order: editor, actions, feedback, separator, terminal. Tab from
 * Check, Run and Hint reaches the verdict before the terminal, which keeps Tab for the shell.
 */
'use client';

import {
  type CSSProperties,
  type PointerEvent,
  type ReactNode,
  type RefObject,
  useRef,
  useState,
} from 'react';
import styles from './lab.module.css';
import { EDITOR_SHARE, shareAfterKey, shareAtPointer } from './split';

export interface LabWorkspaceProps {
  /** The id of the editor column, which the separator resizes (and the file tabs control). */
  editorId: string;
  /** File tabs and the editor. */
  editor: ReactNode;
  /** The grading actions, under the editor. */
  actions: ReactNode;
  /** What the last Check or Run said, and the hints: beside the actions, under the terminal. */
  feedback: ReactNode;
  terminal: ReactNode;
}

export function LabWorkspace({ editorId, editor, actions, feedback, terminal }: LabWorkspaceProps) {
  const [share, setShare] = useState<number>(EDITOR_SHARE.initial);
  const workspace = useRef<HTMLDivElement>(null);
  return (
    <div
      ref={workspace}
      className={styles.workspace}
      style={{ '--editor-share': `${share}%` } as CSSProperties}
    >
      <div className={styles.editorColumn}>
        <div className={styles.editorPane} id={editorId}>
          {editor}
        </div>
        {actions}
      </div>
      <div className={styles.feedbackPane}>{feedback}</div>
      <Separator share={share} onChange={setShare} controls={editorId} workspace={workspace} />
      <div className={styles.terminalPane} data-lab-terminal>
        {terminal}
      </div>
    </div>
  );
}

interface SeparatorProps {
  share: number;
  onChange(share: number): void;
  controls: string;
  workspace: RefObject<HTMLDivElement | null>;
}

/** The ARIA window splitter between the editor and the terminal; its value is the editor's share. */
function Separator({ share, onChange, controls, workspace }: SeparatorProps) {
  const follow = (event: PointerEvent<HTMLDivElement>) => {
    const box = workspace.current?.getBoundingClientRect();
    if (!box) return;
    // The pointer holds the separator by its middle.
    const half = event.currentTarget.getBoundingClientRect().width / 2;
    onChange(shareAtPointer(event.clientX - half, box.left, box.width));
  };
  const percent = Math.round(share);
  return (
    // biome-ignore lint/a11y/useSemanticElements: <hr> cannot be focused and dragged; a focusable separator is a widget
    <div
      role="separator"
      tabIndex={0}
      className={styles.separator}
      aria-orientation="vertical"
      aria-label="Resize the editor and the terminal"
      aria-controls={controls}
      aria-valuenow={percent}
      aria-valuemin={EDITOR_SHARE.min}
      aria-valuemax={EDITOR_SHARE.max}
      aria-valuetext={`Editor ${percent}% of the width`}
      title="Drag, or use the arrow keys, to resize the editor and the terminal"
      onKeyDown={(event) => {
        const next = shareAfterKey(share, event.key);
        if (next === null) return;
        event.preventDefault();
        onChange(next);
      }}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        event.currentTarget.setPointerCapture(event.pointerId);
        event.currentTarget.focus();
      }}
      onPointerMove={(event) => {
        if (event.currentTarget.hasPointerCapture(event.pointerId)) follow(event);
      }}
    />
  );
}
