// For administrators (Users "all" or Administrator "edit_settings", USR-4, ADM-2): why can
// this person do this (GET /access/explain), and who can see this case (GET
// /cases/{id}/viewers). Anyone else gets the refusal with its rules.
import { api, must, relId, type Schemas } from "../api";
import { field, h, replace, select, table, type Child } from "../dom";
import { errorBox, rulesSentence } from "../errors";
import { words } from "../format";
import { navigate, type Screen } from "../router";

// The actions of the explain endpoint, per resource type (openapi/api.yaml, explainAccess).
const ACTIONS: Record<string, string[]> = {
  cases: ["view", "edit", "delete", "manage-members", "manage-phases", "manage-files", "manage-proposals", "manage-resourcing", "recognize-revenue", "enter-work", "join", "share"],
  invoices: ["view", "edit", "delete", "credit", "remind"],
  "work-hours": ["view", "edit", "delete", "approve", "bill"],
  accounts: ["view", "edit", "delete"],
  users: ["edit", "edit-rights", "set-api-access", "create-api-key"],
};

type Users = Map<string, string>;

async function users(): Promise<{ map: Users; error: unknown }> {
  try {
    const doc = await must(api.GET("/api/v1/users", { params: { query: { "page[size]": 100, sort: "name" } } }));
    return { map: new Map(doc.data.map((u) => [u.id, u.attributes?.name ?? u.attributes?.email ?? `User ${u.id}`])), error: null };
  } catch (error) {
    return { map: new Map(), error };
  }
}

/** explainScreen asks why a user may or may not do something to a resource. */
export async function explainScreen(q: URLSearchParams): Promise<Screen> {
  const title = "Why can this person see this?";
  const { map } = await users();
  const user = q.get("user") ?? "";
  const action = q.get("action") ?? "view";
  const resource = q.get("resource") ?? "";

  const userSelect = select("user", [["", "Choose a person"], ...map], user, { id: "explain-user", required: true });
  const actionSelect = h(
    "select",
    { name: "action", id: "explain-action" },
    ...Object.entries(ACTIONS).map(([type, actions]) =>
      h("optgroup", { label: type }, ...actions.map((a) => h("option", { value: a, selected: a === action }, words(a.replace(/-/g, " "))))),
    ),
  );
  const resourceInput = h("input", { type: "text", name: "resource", id: "explain-resource", required: true, value: resource, pattern: "[a-z-]+/[0-9]+" });
  const form = h(
    "form",
    { id: "explain-form", "aria-labelledby": "explain-form-heading" },
    h("h2", { id: "explain-form-heading", class: "visually-hidden" }, "Question"),
    field("Person", userSelect),
    field("Action", actionSelect),
    field("Resource", resourceInput, "Type and number, for example cases/12."),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "explain-submit" }, "Explain")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams({ user: userSelect.value, action: actionSelect.value, resource: resourceInput.value.trim() });
    void navigate(`/app/access?${p}`);
  });

  const answer = h("section", { id: "explain-answer", "aria-labelledby": "explain-answer-heading" });
  if (user && resource) {
    try {
      const doc = await must(api.GET("/api/v1/access/explain", { params: { query: { user, action, resource } } }));
      replace(answer, ...decision(doc.data.attributes, map.get(user) ?? `User ${user}`, action, resource));
    } catch (err) {
      replace(answer, h("h2", { id: "explain-answer-heading" }, "Answer"), errorBox(err));
    }
  }
  return { title, node: h("div", {}, h("h1", {}, title), form, answer.childNodes.length ? answer : null) };
}

function decision(a: Schemas["AccessDecisionDocument"]["data"]["attributes"], who: string, action: string, resource: string): Child[] {
  return [
    h("h2", { id: "explain-answer-heading" }, a.allowed ? `Yes: ${who} may ${words(action.replace(/-/g, " "))} ${resource}` : `No: ${who} may not ${words(action.replace(/-/g, " "))} ${resource}`),
    h("p", { class: a.allowed ? "allowed" : "denied", "data-allowed": String(a.allowed) }, a.message),
    h("p", { class: "rules" }, rulesSentence(a.rules, "Decided")),
    a.hidden?.length
      ? h("p", {}, `Hidden from them: ${a.hidden.map(words).join(", ")}.`, a.hiddenRules?.length ? ` ${rulesSentence(a.hiddenRules, "Hidden")}` : "")
      : null,
  ];
}

/** viewersScreen lists every active user who may view the case, and why. */
export async function viewersScreen(id: string): Promise<Screen> {
  const caseDoc = await must(api.GET("/api/v1/cases/{id}", { params: { path: { id } } }));
  const name = caseDoc.data.attributes?.name ?? `Case ${id}`;
  const title = `Who can see ${name}`;
  const back = h("p", {}, h("a", { href: `/app/cases/${id}` }, `Back to ${name}`));
  let content: Node;
  try {
    const [doc, { map }] = await Promise.all([must(api.GET("/api/v1/cases/{id}/viewers", { params: { path: { id } } })), users()]);
    content = table(
      `${doc.data.length} people can see this case`,
      ["Person", "Why", "Rules", "Hidden from them"],
      doc.data.map((v) => {
        const uid = relId(v.relationships?.user);
        const explain = new URLSearchParams({ user: uid, action: "view", resource: `cases/${id}` });
        return [
          h("a", { href: `/app/access?${explain}` }, map.get(uid) ?? `User ${uid}`),
          v.attributes.message,
          v.attributes.rules.join(", "),
          v.attributes.hidden?.length ? v.attributes.hidden.map(words).join(", ") : "nothing",
        ];
      }),
      { id: "viewers" },
    );
  } catch (err) {
    content = errorBox(err);
  }
  return { title, node: h("div", {}, h("h1", {}, title), back, content) };
}
