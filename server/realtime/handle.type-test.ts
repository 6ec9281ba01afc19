/**
 * Compile-time checks of `handle`, run by the server typecheck (nothing here runs): a handler
 * gets its own event's payload and must answer with its own event's reply type. Each
 * `@ts-expect-error` fails the typecheck if the mistake under it stops being an error.
 */
import type { BpflabSocket } from './context.js';
import { fail, handle, ok } from './handle.js';

export function handlersAreTypedByTheirEvent(socket: BpflabSocket): void {
  handle(socket, 'lab:hint', ({ index }) => ok(`hint ${index}`));
  handle(socket, 'lab:check', () => fail('busy'));
  // @ts-expect-error a hint is answered with its text, not a number
  handle(socket, 'lab:hint', ({ index }) => ok(index));
  // @ts-expect-error a Check is answered with grade, progress and solution rule, not the files
  handle(socket, 'lab:check', ({ files }) => ok(files));
  // @ts-expect-error terminal input carries no lab id
  handle(socket, 'terminal:input', ({ labId }) => ok(labId));
  // @ts-expect-error an event that is not in the map cannot be handled
  handle(socket, 'lab:format-disk', () => ok(null));
}
