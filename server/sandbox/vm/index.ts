import { registerDriver } from '../registry.js';
import { VmDriver } from './vm-driver.js';

registerDriver('vm', (config, root) => VmDriver.start(config, root));
