/**
 * Field formats of map checks: what a lab may write (`saddr: 127.0.1.1`), how a decoded number is
 * shown, and the manifest errors that name the field a lab's author got wrong.
 */
import { describe, expect, it } from 'vitest';
import { readFormatted, showFormatted, swapBytes } from './map-format.js';
import { MapCheck } from './schema.js';

describe('field formats', () => {
  it('reads and shows IPv4 addresses in host and in network byte order', () => {
    expect(readFormatted('127.0.1.1', 'ipv4')).toEqual({ value: 0x7f000101 });
    expect(readFormatted(0x7f000101, 'ipv4')).toEqual({ value: 0x7f000101 });
    expect(showFormatted(2130706689, 'ipv4')).toBe('127.0.1.1');
    // Kept as in the IP header, the decoded little-endian number has the first octet lowest.
    expect(readFormatted('127.0.1.1', 'ipv4-net')).toEqual({ value: 0x0101007f });
    expect(showFormatted(0x0101007f, 'ipv4-net')).toBe('127.0.1.1');
    expect(readFormatted('127.0.1.256', 'ipv4')).toHaveProperty('error');
  });

  it('reads and shows ports, hex and decimal; a value the format does not fit is shown as it is', () => {
    expect(readFormatted(9001, 'port-net')).toEqual({ value: 10531 });
    expect(showFormatted(10531, 'port-net')).toBe('9001');
    expect(readFormatted(70000, 'port')).toEqual({
      error: 'port: must be a port number, 0 to 65535, or {{nonce_number}}',
    });
    expect(showFormatted(255, 'hex')).toBe('0xff');
    expect(showFormatted('18446744073709551615', 'hex')).toBe('0xffffffffffffffff');
    expect(readFormatted('0xffffffffffffffff', 'hex')).toEqual({ value: '18446744073709551615' });
    expect(showFormatted(70000, 'port')).toBe('70000');
    expect(showFormatted('bash', 'decimal')).toBe('bash');
    expect(swapBytes(0x7f000101, 4)).toBe(0x0101007f);
  });
});

describe('a map check with formats', () => {
  const check = (format: unknown, key: unknown) =>
    MapCheck.safeParse({
      id: 'f',
      title: 'f',
      type: 'map',
      map: 'flows',
      format,
      entries: [{ key, value: 1 }],
    });

  it('accepts entries written in their formats', () => {
    expect(check({ saddr: 'ipv4', sport: 'port' }, { saddr: '127.0.1.1', sport: 9001 }).success).toBe(true);
    expect(check({ key: 'port' }, 9001).success).toBe(true);
  });

  it('names the entry field that is not in its format, and a format for no field', () => {
    const bad = check({ saddr: 'ipv4' }, { saddr: '127.0.1' });
    expect(bad.error?.issues).toEqual([
      expect.objectContaining({
        path: ['entries', 0, 'key', 'saddr'],
        message: 'ipv4: must be an IPv4 address like 127.0.1.1 or a 32-bit number, or {{nonce_number}}',
      }),
    ]);
    const typo = check({ sadr: 'ipv4' }, { saddr: 1, sport: 2 });
    expect(typo.error?.issues).toEqual([
      expect.objectContaining({
        path: ['format', 'sadr'],
        message:
          'no entry has a field "sadr"; the entries have `saddr`, `sport`, `value` (`key` / `value` stand for a key or value that is a plain number)',
      }),
    ]);
    // An empty field name is named like any other, not zod's bare "Invalid key in record".
    expect(check({ '': 'port' }, 9001).error?.issues[0]?.message).toMatch(
      /^no entry has a field ""; the entries have `key`, `value`/,
    );
    expect(check({ saddr: 'dotted' }, { saddr: 1 }).error?.issues[0]?.path).toEqual(['format', 'saddr']);
  });

  it('accepts {{nonce_number}} where a formatted number is expected, and refuses what no run could hold', () => {
    expect(check({ key: 'port' }, '{{nonce_number}}').success).toBe(true);
    expect(check({ key: 'port-net' }, '{{nonce_number}}').success).toBe(true);
    expect(
      check({ dport: 'port', daddr: 'ipv4' }, { dport: '{{nonce_number}}', daddr: '{{nonce_number}}' })
        .success,
    ).toBe(true);
    expect(check({ id: 'hex' }, { id: '{{nonce_number}}' }).success).toBe(true);
    expect(check({ id: 'decimal' }, { id: '{{nonce_number}}' }).success).toBe(true);

    const issue = (format: unknown, key: unknown) => {
      const issues = check(format, key).error?.issues ?? [];
      return issues.map((i) => ({ path: i.path, message: i.message }));
    };
    // Ten times any run's number is no port.
    expect(issue({ key: 'port' }, '{{nonce_number}}0')).toEqual([
      {
        path: ['entries', 0, 'key'],
        message: 'port: must be a port number, 0 to 65535, or {{nonce_number}}',
      },
    ]);
    expect(issue({ sport: 'port' }, { sport: '{{nonce}}' })).toEqual([
      {
        path: ['entries', 0, 'key', 'sport'],
        message: "port: {{nonce}} is text; write {{nonce_number}}, the run's number",
      },
    ]);
    expect(issue({ sport: 'port' }, { sport: '{{nonce_num}}' })).toEqual([
      {
        path: ['entries', 0, 'key', 'sport'],
        message:
          "port: {{nonce_num}} is not a placeholder the grader replaces: write {{nonce}} (the run nonce, text) or {{nonce_number}} (the run's number)",
      },
    ]);
    expect(issue({ key: 'decimal' }, 'port-{{nonce_number}}')).toEqual([
      { path: ['entries', 0, 'key'], message: 'decimal: must be an integer, or {{nonce_number}}' },
    ]);
    // Unformatted fields are free text, but a misspelt placeholder there is named too.
    expect(issue(undefined, { comm: 'hx-{{ nonce }}', port: '{{nonce_number}}' })).toEqual([
      {
        path: ['entries', 0, 'key', 'comm'],
        message:
          "{{ nonce }} is not a placeholder the grader replaces: write {{nonce}} (the run nonce, text) or {{nonce_number}} (the run's number)",
      },
    ]);
  });
});
