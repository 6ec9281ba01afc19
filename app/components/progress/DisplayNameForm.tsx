'use client';
/**
 * "Your name for your instructor": learners are anonymous in the class view (a pseudonym only)
 * until they choose a name here; saving an empty one makes them anonymous again.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { DISPLAY_NAME_MAX, type Profile } from '@/server/protocol/class';
import styles from './display-name.module.css';

export function DisplayNameForm() {
  const [saved, setSaved] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    fetch('/api/profile', { cache: 'no-store', signal: abort.signal })
      .then(async (response) => {
        if (!response.ok) return;
        const profile = (await response.json()) as Profile;
        setSaved(profile.displayName);
        setDraft(profile.displayName ?? '');
      })
      .catch(() => {
        // The form still works without the current name; saving replaces it.
      });
    return () => abort.abort();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const response = await fetch('/api/profile', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: draft }),
      });
      const body = (await response.json().catch(() => ({}))) as Partial<Profile> & { error?: string };
      if (!response.ok) {
        setMessage({
          error: true,
          text: `Name not saved: ${(body.error ?? `the server answered ${response.status}`).replace(/^displayName/, 'the name')}.`,
        });
        return;
      }
      const name = body.displayName ?? null;
      setSaved(name);
      setDraft(name ?? '');
      setMessage({
        error: false,
        text: name
          ? `Saved. Your instructor sees you as ${name}.`
          : 'Saved. You are anonymous to your instructor.',
      });
    } catch (failure) {
      setMessage({ error: true, text: `Name not saved: the server did not answer (${String(failure)}).` });
    }
  };

  return (
    <section aria-labelledby="display-name-title" className={styles.section}>
      <h2 id="display-name-title">Your name for your instructor</h2>
      <form onSubmit={submit}>
        <p>
          You are {saved ? <strong>{saved}</strong> : 'anonymous'} in your instructor&apos;s class view.
          Choosing a name is optional; leave it empty to stay anonymous.
        </p>
        <label htmlFor="display-name">Your name for your instructor (optional)</label>{' '}
        <input
          id="display-name"
          value={draft}
          maxLength={DISPLAY_NAME_MAX}
          autoComplete="name"
          onChange={(event) => setDraft(event.target.value)}
        />{' '}
        <button type="submit">Save name</button>
        {message && (
          <p role={message.error ? 'alert' : 'status'} className={message.error ? styles.error : undefined}>
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}
