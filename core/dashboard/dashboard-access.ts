/**
 * What the dashboard needs from outside the core: where it is served, and unguessable tokens (randomness and
 * hashing come in through this port, so the core stays free of libraries and its rules testable).
 */
export interface DashboardAccess {
  /** The dashboard's address as members reach it (DASHBOARD_URL, else http://127.0.0.1:<port>); undefined: it is off. */
  baseUrl(): string | undefined;
  /** A new random token, URL-safe (at least 128 bits). */
  newToken(): string;
  /** What is stored in place of a token (SHA-256, hex): a leaked table yields no working link or session. */
  hashToken(token: string): string;
}

/** A sign-in link is good for this long after /dashboard sent it. */
export const LINK_TTL_MINUTES = 10;
/** A signed-in browser stays signed in this long (it is asked again about admin rights on every request). */
export const SESSION_TTL_HOURS = 12;
