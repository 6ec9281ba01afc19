/**
 * Sandbox names: short, random, and safe as a hostname, a cgroup, a directory and a Lima
 * instance name (Lima keeps socket paths under ~/.lima/<name>/, which must stay short on macOS).
 * A learner's session id never becomes part of a name or a path.
 */
import { randomBytes } from 'node:crypto';

const NAME = /^bl-[0-9a-f]{6}$/;

export function newSandboxName(): string {
  return `bl-${randomBytes(3).toString('hex')}`;
}

export function isSandboxName(name: string): boolean {
  return NAME.test(name);
}
