// Caseroom's firm-side app (a stub): screens over the internal API, plain TypeScript and DOM.
import "./style.css";
import { api, must, mustSucceed } from "./api";
import { route, start, navigate } from "./router";
import * as session from "./session";
import { loginScreen } from "./screens/login";
import { casesScreen } from "./screens/cases";
import { caseScreen } from "./screens/case";
import { shareScreen } from "./screens/share";
import { explainScreen, viewersScreen } from "./screens/access";

route(/^\/app\/?$/, () => {
  void navigate(session.current() ? "/app/cases" : "/app/login", { replace: true });
  return { title: "Caseroom", node: document.createTextNode("") };
}, { public: true });
route(/^\/app\/login$/, (_, q) => loginScreen(q), { public: true });
route(/^\/app\/cases$/, (_, q) => casesScreen(q));
route(/^\/app\/cases\/(\d+)$/, (m) => caseScreen(m[1] ?? ""));
route(/^\/app\/cases\/(\d+)\/share$/, (m) => shareScreen(m[1] ?? ""));
route(/^\/app\/cases\/(\d+)\/viewers$/, (m) => viewersScreen(m[1] ?? ""));
route(/^\/app\/access$/, (_, q) => explainScreen(q));

const nav = document.getElementById("nav") as HTMLElement;
const who = document.getElementById("who") as HTMLElement;
const whoName = document.getElementById("who-name") as HTMLElement;
let named = "";

// The header shows who is logged in; the name is read once per session.
function updateHeader(): void {
  const s = session.current();
  nav.hidden = who.hidden = s === null;
  if (!s) {
    named = "";
    whoName.textContent = "";
    return;
  }
  if (named === s.token) return;
  named = s.token;
  whoName.textContent = "Logged in";
  void must(api.GET("/api/v1/users/{id}", { params: { path: { id: s.userId } } }))
    .then((doc) => {
      whoName.textContent = `Logged in as ${doc.data.attributes?.name ?? doc.data.attributes?.email ?? "you"}`;
    })
    .catch(() => {});
}

// Logging out ends every session of the user (DELETE /api/v1/sessions), not only this tab's.
document.getElementById("logout")?.addEventListener("click", () => {
  void mustSucceed(api.DELETE("/api/v1/sessions"))
    .catch(() => {})
    .finally(() => {
      session.clear();
      void navigate("/app/login?out=1");
    });
});

start(document.getElementById("main") as HTMLElement, updateHeader);
