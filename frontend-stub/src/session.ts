// The session token lives in sessionStorage: it is gone when the tab closes, and other
// tabs do not share it. It is never put in a cookie, so the API needs no CSRF defence.

const TOKEN = "caseroom.token";
const USER = "caseroom.user";
const EXPIRES = "caseroom.expiresAt";

/** Session is who is logged in in this tab. */
export type Session = { token: string; userId: string; expiresAt: string };

export function current(): Session | null {
  const token = sessionStorage.getItem(TOKEN);
  const expiresAt = sessionStorage.getItem(EXPIRES) ?? "";
  if (!token || (expiresAt && Date.parse(expiresAt) <= Date.now())) return null;
  return { token, userId: sessionStorage.getItem(USER) ?? "", expiresAt };
}

export function save(s: Session): void {
  sessionStorage.setItem(TOKEN, s.token);
  sessionStorage.setItem(USER, s.userId);
  sessionStorage.setItem(EXPIRES, s.expiresAt);
}

export function clear(): void {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
  sessionStorage.removeItem(EXPIRES);
}
