import { describe, expect, it } from 'vitest';
import { connectionNotice, labActionsUnavailable, OFFLINE_DETAIL } from './connection-notice';

const online = { online: true, justBack: false };

describe('connectionNotice', () => {
  it('says nothing while connected, before the first connection, and on a page without a socket', () => {
    expect(connectionNotice({ state: 'connected' }, online)).toBeNull();
    expect(connectionNotice({ state: 'connecting' }, online)).toBeNull();
    expect(connectionNotice(null, online)).toBeNull();
  });

  it('says the connection is lost (or was never made) and what still works, or that the browser is offline', () => {
    expect(connectionNotice({ state: 'reconnecting', lost: true }, online)).toEqual({
      kind: 'lost',
      title: 'Connection to the server lost — reconnecting…',
      detail: OFFLINE_DETAIL,
    });
    expect(
      connectionNotice({ state: 'reconnecting', lost: true }, { online: false, justBack: false })?.title,
    ).toBe('You are offline — reconnecting when your network is back…');
    expect(connectionNotice({ state: 'reconnecting', lost: false }, online)?.title).toBe(
      'Cannot reach the server — retrying…',
    );
  });

  it("gives the server's reason for a refusal as a sentence", () => {
    const notice = connectionNotice(
      {
        state: 'refused',
        code: 'no-session',
        message: 'No valid session cookie; reload the page to get one',
      },
      online,
    );
    expect(notice?.kind).toBe('refused');
    expect(notice?.detail).toMatch(/^No valid session cookie; reload the page to get one\. Until then/);
  });

  it('says the connection is back only right after it returned', () => {
    expect(connectionNotice({ state: 'connected' }, { online: true, justBack: true })?.title).toBe(
      'Connected again',
    );
  });
});

describe('labActionsUnavailable', () => {
  const open = { opened: true, openFailed: false };

  it('allows the actions only when connected and the lab is open', () => {
    expect(labActionsUnavailable({ state: 'connected' }, open)).toBeNull();
    expect(labActionsUnavailable({ state: 'connected' }, { opened: false, openFailed: false })).toBe(
      'The lab is opening…',
    );
    expect(labActionsUnavailable({ state: 'connected' }, { opened: false, openFailed: true })).toMatch(
      /could not be opened/,
    );
  });

  it('names the connection as the reason before anything about the lab', () => {
    expect(labActionsUnavailable({ state: 'reconnecting', lost: true }, open)).toBe(
      'Not connected to the server: Check, Run, hints and Reset wait until it is back.',
    );
    expect(labActionsUnavailable({ state: 'connecting' }, { opened: false, openFailed: false })).toBe(
      'Connecting to the server…',
    );
    expect(
      labActionsUnavailable(
        { state: 'refused', code: 'one-learner', message: 'This server admits one learner.' },
        open,
      ),
    ).toBe('Not connected to the server: This server admits one learner.');
  });
});
