import { describe, expect, it } from 'vitest';
import { SandboxError } from './types.js';
import { insideWorkspace, isWithin, workspaceRelative } from './workspace-path.js';

describe('workspaceRelative', () => {
  it('normalises paths that stay inside', () => {
    expect(workspaceRelative('src/hello.bpf.c')).toBe('src/hello.bpf.c');
    expect(workspaceRelative('./src//x/../hello.c')).toBe('src/hello.c');
    expect(workspaceRelative('dir/')).toBe('dir');
    expect(workspaceRelative('')).toBe('');
    expect(workspaceRelative('.')).toBe('');
  });

  it.each(['/etc/passwd', '..', '../other/file', 'src/../../x', 'a\0b'])('refuses %j', (bad) => {
    expect(() => workspaceRelative(bad)).toThrow(SandboxError);
  });

  it('tells the learner which path, and the operator why', () => {
    try {
      workspaceRelative('../../etc/shadow');
      expect.unreachable();
    } catch (error) {
      expect((error as SandboxError).learnerMessage).toContain('../../etc/shadow');
      expect((error as SandboxError).operatorDetail).toContain('climbs out');
    }
  });
});

describe('insideWorkspace', () => {
  it('resolves a working directory below the workspace', () => {
    expect(insideWorkspace('/root', '')).toBe('/root');
    expect(insideWorkspace('/root', 'lab/build')).toBe('/root/lab/build');
    expect(() => insideWorkspace('/root', '../tmp')).toThrow(SandboxError);
  });
});

describe('isWithin', () => {
  it('compares whole path components', () => {
    expect(isWithin('/data/ws', '/data/ws')).toBe(true);
    expect(isWithin('/data/ws', '/data/ws/a')).toBe(true);
    expect(isWithin('/data/ws', '/data/ws2')).toBe(false);
    expect(isWithin('/', '/anything')).toBe(true);
  });
});
