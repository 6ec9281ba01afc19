import { registerDriver } from '../registry.js';
import { LimaDriver } from './lima-driver.js';

registerDriver('lima', (config, root) => LimaDriver.start(config, root));
