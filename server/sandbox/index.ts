/**
 * The sandbox layer's entry point for the composition root:
 *
 *   const driver = await createDriver(config, root);   // before listening
 *   const sandbox = await driver.create({ sessionId });
 *   await driver.shutdown();                            // on exit
 *
 * createDriver also refuses an unsafe listen address for the driver (see serve-safety.ts).
 */
import type { Config } from '../config.js';
import { chooseDriver, readHostFacts } from './host-facts.js';
import { driverFactory } from './registry.js';
import { assertSafeToServe } from './serve-safety.js';
import type { Driver } from './types.js';
import './local/index.js';
import './lima/index.js';
import './vm/index.js';

export { chooseDriver } from './host-facts.js';
export { assertSafeToServe, UnsafeToServeError } from './serve-safety.js';
export type { Driver, Sandbox } from './types.js';
export { SandboxError, TOOLS_DIR } from './types.js';

/** Start the configured driver (BPFLAB_DRIVER, else the host's default). */
export async function createDriver(config: Config, root: string): Promise<Driver> {
  const name = chooseDriver(config.BPFLAB_DRIVER, readHostFacts());
  assertSafeToServe(config, name);
  return driverFactory(name)(config, root);
}
