import { registerDriver } from '../registry.js';
import { LocalDriver } from './local-driver.js';

registerDriver('local', (config, root) => LocalDriver.start(config, root));
