import type { Platform } from '../events.js';

/** The platform of an id (`tg:123`, `dc:456`, `pg:group`): its prefix before the first colon. */
export function platformOf(id: string): Platform {
  return id.slice(0, id.indexOf(':')) as Platform;
}
