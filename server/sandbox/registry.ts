/**
 * The drivers this server knows. Each driver module registers itself when imported, so adding a
 * driver (a Linux VM driver, Kubernetes) touches its own folder and one import in index.ts.
 */
import type { Config } from '../config.js';
import type { Driver, DriverName } from './types.js';

/** Starts a driver: checks the host, reclaims leftovers, warms pools. Rejects if it cannot run. */
export type DriverFactory = (config: Config, root: string) => Promise<Driver>;

const factories = new Map<DriverName, DriverFactory>();

export function registerDriver(name: DriverName, factory: DriverFactory): void {
  if (factories.has(name)) throw new Error(`sandbox driver ${name} is registered twice`);
  factories.set(name, factory);
}

export function driverFactory(name: DriverName): DriverFactory {
  const factory = factories.get(name);
  if (!factory) throw new Error(`no sandbox driver named ${name} is registered`);
  return factory;
}
