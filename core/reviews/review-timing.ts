/** The timing rules of review messages: those of every prompt (core/messages/prompt-timing.ts). */
export { capFreesAt, quietUntil, WEEK_MS } from '../messages/prompt-timing.js';
