// API errors in words a person understands: what happened (from the status), the server's
// detail, the field it is about, and the rules of the rights model that decided it.
import { h, type Child } from "./dom";
import { words } from "./format";

/** ErrorObject is one JSON:API error as the API sends it (components.schemas.ErrorObject). */
export type ErrorObject = {
  id?: string;
  status: string;
  code: string;
  title: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string; header?: string };
  meta?: Record<string, unknown>;
};
export type ErrorDocument = { errors?: ErrorObject[] };

/** ApiError is a refused or failed request. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: ErrorObject[];
  readonly retryAfter: string | null;
  constructor(status: number, doc: ErrorDocument | undefined, retryAfter: string | null = null) {
    super(`HTTP ${status}`);
    this.status = status;
    this.errors = Array.isArray(doc?.errors) ? doc.errors : [];
    this.retryAfter = retryAfter;
  }
}

/** rulesOf lists the rule IDs of an error's meta.rules ("CASE-5,CASE-7" or an array). */
export function rulesOf(e: ErrorObject): string[] {
  const raw = e.meta?.rules;
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? raw.split(",") : [];
  return list.map((r) => r.trim()).filter((r) => r !== "");
}

/** rulesSentence says which rules refused: "Refused by rule WHA-4." */
export function rulesSentence(rules: string[], verb = "Refused"): string {
  if (rules.length === 0) return "";
  if (rules.length === 1) return `${verb} by rule ${rules[0]}.`;
  return `${verb} by rules ${rules.slice(0, -1).join(", ")} and ${rules[rules.length - 1]}.`;
}

function lead(err: ApiError): string {
  switch (err.status) {
    case 0:
      return "The server could not be reached. Check the connection and try again.";
    case 400:
      return "The server did not accept this request.";
    case 401:
      return "You are not logged in, or your session has ended.";
    case 403:
      return "You may not do this.";
    case 404:
      return "This was not found, or you may not see it.";
    case 406:
    case 415:
      return "The app and the server disagree on the format; reload the page.";
    case 409:
      return "This conflicts with how things are now.";
    case 412:
      return "Someone else changed this meanwhile. Reload and try again.";
    case 413:
      return "This is too large.";
    case 422:
      return "Some values need attention.";
    case 429:
      return `Too many attempts.${err.retryAfter ? ` Try again in ${err.retryAfter} seconds.` : " Wait a moment and try again."}`;
    case 503:
      return `The server is busy.${err.retryAfter ? ` Try again in ${err.retryAfter} seconds.` : " Try again in a moment."}`;
    default:
      return err.status >= 500 ? "Something went wrong on the server." : `The request failed (HTTP ${err.status}).`;
  }
}

/** fieldOf names the attribute or parameter an error is about: "/data/attributes/minutes" → "minutes". */
function fieldOf(e: ErrorObject): string {
  const p = e.source?.pointer ?? "";
  if (p) return p.split("/").filter(Boolean).pop() ?? p;
  return e.source?.parameter ?? "";
}

/** sentence makes the server's detail read as a sentence: a capital first, a stop last. */
function sentence(text: string): string {
  const t = text.trim();
  if (t === "") return t;
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** errorBox shows an error (an ApiError or anything thrown) as an alert; failed says what
 * could not be done ("Could not approve the hours of …"). */
export function errorBox(err: unknown, failed = ""): HTMLElement {
  const first = failed ? h("strong", {}, failed, " ") : null;
  if (!(err instanceof ApiError)) {
    const text = err instanceof Error ? err.message : String(err);
    return h("div", { class: "error", role: "alert" }, h("p", {}, first, "Something went wrong in the app: ", text));
  }
  const items: Child[] = err.errors.map((e) => {
    const rules = rulesOf(e);
    const field = fieldOf(e);
    return h(
      "li",
      { class: "api-error", "data-code": e.code, "data-rules": rules.join(",") || null },
      sentence(e.detail || e.title),
      field ? ` (About: ${words(field)}.)` : null,
      rules.length ? h("span", { class: "rules" }, " ", rulesSentence(rules)) : null,
      e.id ? h("span", { class: "reference" }, ` Reference: ${e.id}.`) : null,
    );
  });
  return h(
    "div",
    { class: "error", role: "alert", "data-status": err.status },
    h("p", {}, first, failed ? lead(err) : h("strong", {}, lead(err))),
    items.length ? h("ul", {}, ...items) : null,
  );
}
