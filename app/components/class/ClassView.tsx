'use client';
/**
 * The instructor's class view at /class: a sign-in form until the instructor cookie is set, then
 * a table of every learner (by chosen name, or anonymous, and pseudonym) against every lab, each
 * cell saying how far they got and linking to their last Check; and the gradebook as CSV.
 */
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import type { ClassLabProgress, ClassView as ClassViewData } from '@/server/protocol/class';
import styles from './class.module.css';
import { formatWhen, labStatus, learnerName, useClassApi } from './use-class-api';

export function ClassView() {
  const { state, reload } = useClassApi<ClassViewData>('/api/class');
  return (
    <div className={styles.page}>
      <h1>Class</h1>
      {state.kind === 'loading' && <p>Loading the class…</p>}
      {state.kind === 'disabled' && (
        <p className={styles.notice}>
          The class view is off on this server.{' '}
          {capitalize(state.message.replace(/^the class view is off: /, ''))}.
        </p>
      )}
      {state.kind === 'error' && (
        <p role="alert" className={styles.error}>
          The class could not be read: {state.message}.
        </p>
      )}
      {state.kind === 'signed-out' && <SignInForm onSignedIn={reload} />}
      {state.kind === 'ready' && <ClassTable view={state.value} onSignedOut={reload} />}
    </div>
  );
}

function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const secret = String(new FormData(event.currentTarget).get('secret') ?? '');
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/api/class/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret }),
      });
      if (response.ok) onSignedIn();
      else {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        setError(
          response.status === 401
            ? 'That is not the instructor secret.'
            : capitalize(body.error ?? `the server answered ${response.status}`),
        );
      }
    } catch (failure) {
      setError(`The server did not answer (${String(failure)}).`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={styles.signIn} onSubmit={submit} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Instructor sign-in</h2>
      <p>
        Enter the instructor secret your operator set (<code>BPFLAB_INSTRUCTOR_SECRET</code>) to see every
        learner&apos;s progress.
      </p>
      <label htmlFor="instructor-secret">Instructor secret</label>
      <input
        id="instructor-secret"
        name="secret"
        type="password"
        autoComplete="current-password"
        required
        aria-invalid={error !== null}
        aria-describedby={error ? 'sign-in-error' : undefined}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p id="sign-in-error" role="alert" className={styles.error}>
          {error}
        </p>
      )}
    </form>
  );
}

function ClassTable({ view, onSignedOut }: { view: ClassViewData; onSignedOut: () => void }) {
  const signOut = async () => {
    await fetch('/api/class/session', { method: 'DELETE' }).catch(() => undefined);
    onSignedOut();
  };
  return (
    <>
      <div className={styles.actions}>
        <a href="/api/class.csv" download>
          Download gradebook (CSV)
        </a>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
      {view.learners.length === 0 ? (
        <p>No learner has worked on a lab yet.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls, and keyboards must reach it.
        <section className={styles.scroll} tabIndex={0} aria-label="Class progress, scrollable">
          <table className={styles.table}>
            <caption>
              Progress of {view.learners.length} {view.learners.length === 1 ? 'learner' : 'learners'} per
              lab. Learners are anonymous unless they chose a name.
            </caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                {view.labIds.map((lab) => (
                  <th scope="col" key={lab}>
                    {lab}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.learners.map((learner) => (
                <tr key={learner.pseudonym}>
                  <th scope="row">
                    {learnerName(learner)}
                    <span className={styles.pseudonym}>{learner.pseudonym}</span>
                  </th>
                  {view.labIds.map((lab) => (
                    <td key={lab}>
                      <LabCell
                        progress={learner.labs[lab]}
                        href={`/class/${learner.pseudonym}/${lab}`}
                        label={`Files and grade: ${learnerName(learner)} (${learner.pseudonym}), ${lab}`}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function LabCell({ progress, href, label }: { progress?: ClassLabProgress; href: string; label: string }) {
  if (!progress) return <span className={styles.untouched}>Not started</span>;
  return (
    <>
      <strong>{labStatus(progress)}</strong>
      {progress.attempts > 0 && (
        <span>
          best {progress.bestScore}/{progress.maxScore} · {progress.attempts}{' '}
          {progress.attempts === 1 ? 'Check' : 'Checks'}
        </span>
      )}
      <span className={styles.when}>{formatWhen(progress.lastActivityAt)}</span>
      {progress.attempts > 0 && (
        <Link href={href} aria-label={label}>
          Files and grade
        </Link>
      )}
    </>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
