// History-API routing under /app/. The API answers index.html for every /app/ path, so a
// reload or a shared link opens the same screen. After each navigation the new screen's
// heading takes the focus, so that a screen reader starts reading there.
import { errorBox, ApiError } from "./errors";
import { h, replace } from "./dom";
import * as session from "./session";

/** Screen is what a route renders: its title (for document.title) and its content, whose
 * first h1 gets the focus. */
export type Screen = { title: string; node: Node };

type Handler = (match: RegExpMatchArray, query: URLSearchParams) => Promise<Screen> | Screen;
type Route = { pattern: RegExp; handler: Handler; public?: boolean };

const routes: Route[] = [];
let main: HTMLElement;
let onChange: () => void = () => {};
let rendering = 0;
let shown = "";

/** route adds a screen for paths matching pattern. */
export function route(pattern: RegExp, handler: Handler, opts: { public?: boolean } = {}): void {
  routes.push({ pattern, handler, public: opts.public ?? false });
}

/** start renders the current location and follows in-app links and history moves. */
export function start(into: HTMLElement, changed: () => void): void {
  main = into;
  onChange = changed;
  document.addEventListener("click", (e) => {
    const a = (e.target as Element | null)?.closest?.("a");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || !url.pathname.startsWith("/app/") || a.target || a.hasAttribute("download")) return;
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return; // in-page
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener("popstate", () => {
    if (window.location.pathname + window.location.search !== shown) void render();
  });
  void render();
}

/** navigate shows path (with its query) and records it in the history. */
export function navigate(path: string, opts: { replace?: boolean } = {}): Promise<void> {
  if (opts.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  return render();
}

/** reload renders the current screen again, keeping the focus where it is. */
export function reload(): Promise<void> {
  return render({ keepFocus: true });
}

async function render(opts: { keepFocus?: boolean } = {}): Promise<void> {
  const ticket = ++rendering;
  const path = window.location.pathname;
  const query = new URLSearchParams(window.location.search);
  let r: Route | undefined;
  let match: RegExpMatchArray | null = null;
  for (const x of routes) {
    match = path.match(x.pattern);
    if (match) {
      r = x;
      break;
    }
  }
  if (r && !r.public && !session.current()) {
    return navigate(`/app/login?next=${encodeURIComponent(path + window.location.search)}`, { replace: true });
  }
  onChange();
  main.setAttribute("aria-busy", "true");
  let screen: Screen;
  try {
    screen = r && match ? await r.handler(match, query) : notFound();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.clear();
      return navigate(`/app/login?expired=1&next=${encodeURIComponent(path + window.location.search)}`, { replace: true });
    }
    screen = { title: "Could not load this page", node: h("div", {}, h("h1", {}, "Could not load this page"), errorBox(err)) };
  }
  if (ticket !== rendering) return; // a later navigation won
  shown = path + window.location.search;
  replace(main, screen.node);
  main.removeAttribute("aria-busy");
  document.title = `${screen.title} – Caseroom`;
  if (!opts.keepFocus) {
    const heading = main.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
}

function notFound(): Screen {
  return {
    title: "Page not found",
    node: h("div", {}, h("h1", {}, "Page not found"), h("p", {}, "There is no such page. ", h("a", { href: "/app/cases" }, "Go to the cases."))),
  };
}
