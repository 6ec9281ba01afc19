/**
 * The note at the top of a lab this sandbox cannot run: the learner's sentence, what still works,
 * and, folded away, the operator's detail (the probe's reasons, the driver that would run it).
 */

import type { UnavailableLab } from './features';
import styles from './lab.module.css';

export function UnavailableNotice({ explanation }: { explanation: UnavailableLab }) {
  return (
    <div className={styles.cannotRun} role="note">
      <p className={styles.cannotRunLead}>{explanation.learner}</p>
      <p>
        Its code is here to read: the editor is read-only, and Check and Run are off. The lesson and your
        terminal work as usual.
      </p>
      <details className={styles.operatorDetail}>
        <summary>For the operator</summary>
        <ul>
          {explanation.operator.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
