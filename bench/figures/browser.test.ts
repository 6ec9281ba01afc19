import { describe, expect, it } from 'vitest';
import { PROBE } from './browser.js';

describe('the page probe', () => {
  // It is a string the page evaluates: a regular expression whose escapes the template literal
  // ate would only show as a page with no marks, a minute later.
  it('is a script that parses, with its regular expressions intact', () => {
    expect(() => new Function(PROBE)).not.toThrow();
    expect(PROBE).toContain(String.raw`/^42\d*\["lab:check"/`);
    expect(PROBE).toContain(String.raw`/^43\d/`);
  });
});
