/**
 * Lab socket events. PLACEHOLDER made by the realtime engineer so the platform compiles before
 * the grader engineer's version lands; it registers nothing and is to be replaced by theirs.
 */
import type { BpflabSocket, SocketContext } from '../realtime/context.js';

export function registerLabEvents(_socket: BpflabSocket, _ctx: SocketContext): void {}
