// Sharing a case to the extranet: choose contacts of the case's account (GET
// /contacts?filter[account]=…), their rights and the sections they see. Saving
// (POST /extranet-shares, or PATCH of an existing share) sends each newly invited contact an
// invitation mail (EXT-4), written to the outbox in the same transaction.
import { api, must, relId, type Schemas } from "../api";
import { checkbox, field, h, replace, section, table, type Child } from "../dom";
import { ApiError, errorBox } from "../errors";
import { day, words } from "../format";
import { navigate, type Screen } from "../router";

type Share = Schemas["ExtranetShare"];
type ShareContact = Schemas["ShareContact"];
type Contact = Schemas["Contact"];

type Kind = "showBilling" | "showHourPrices" | "showStatus" | "showHours" | "showFiles";

// The sections of a share and, within each, the kinds of data the firm may leave out (EXT-3).
const SECTIONS: { key: "showPhases" | "showOther" | "showFinancials"; label: string; hint: string; kinds: { key: Kind; label: string }[] }[] = [
  { key: "showPhases", label: "Phases", hint: "the case's phases, and the phase of each hour", kinds: [] },
  {
    key: "showOther",
    label: "Status, hours and files",
    hint: "the case status, the work hours, files and links",
    kinds: [
      { key: "showStatus", label: "Case status" },
      { key: "showHours", label: "Work hours" },
      { key: "showFiles", label: "Files and links" },
    ],
  },
  {
    key: "showFinancials",
    label: "Financial figures",
    hint: "billing forecast, invoices past draft, prices of hours",
    kinds: [
      { key: "showBilling", label: "Billing: the budget, the invoiced total and the invoices" },
      { key: "showHourPrices", label: "Prices of work hours" },
    ],
  },
];
const RIGHTS: { key: "canApprove" | "canComment" | "canUpload" | "canChangeStatus"; label: string }[] = [
  { key: "canApprove", label: "May approve and reject" },
  { key: "canComment", label: "May comment" },
  { key: "canUpload", label: "May upload files" },
  { key: "canChangeStatus", label: "May change the status" },
];

/** shareScreen shares the case with contacts of its account. */
export async function shareScreen(id: string, q = new URLSearchParams(window.location.search)): Promise<Screen> {
  const caseDoc = await must(api.GET("/api/v1/cases/{id}", { params: { path: { id } } }));
  const name = caseDoc.data.attributes?.name ?? `Case ${id}`;
  const title = `Share ${name} to the extranet`;
  const back = h("p", {}, h("a", { href: `/app/cases/${id}` }, `Back to ${name}`));

  let share: Share | null = null;
  try {
    share = (await must(api.GET("/api/v1/cases/{id}/extranet-share", { params: { path: { id } } }))).data;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) {
      // Only the owner or an owner-like user shares a case (EXT-1): say so, with the rule.
      return { title, node: h("div", {}, h("h1", {}, title), back, errorBox(err)) };
    }
  }
  const accountId = relId(caseDoc.data.relationships?.account);
  const contacts = (
    await must(api.GET("/api/v1/contacts", { params: { query: { "filter[account]": accountId, "page[size]": 100, sort: "lastName" } } }))
  ).data;

  return {
    title,
    node: h(
      "div",
      {},
      h("h1", {}, title),
      back,
      q.get("saved") ? h("p", { role: "status", class: "notice", id: "share-saved" }, "Saved. Newly invited contacts were sent an invitation by email.") : null,
      share ? current(share) : h("p", { id: "not-shared" }, "This case is not shared yet."),
      shareForm(id, share, contacts),
    ),
  };
}

function current(share: Share): HTMLElement {
  const a = share.attributes;
  const on = SECTIONS.filter((s) => a?.[s.key]).map((s) => s.label.toLowerCase());
  const list = a?.contacts ?? [];
  return section(
    "current-share",
    "Shared now",
    h("p", {}, on.length ? `Contacts see: ${on.join(", ")}.` : "Contacts see the case overview only."),
    list.length === 0
      ? h("p", {}, "Nobody is invited.")
      : table(
          "Invited contacts",
          ["Contact", "Email", "Portal", "Rights", "Access ends"],
          list.map((c) => [
            c.name ?? `Contact ${c.contact}`,
            c.email ?? "",
            words(c.portalStatus),
            RIGHTS.filter((r) => c[r.key]).map((r) => r.label.replace(/^May /, "")).join(", ") || "none",
            c.expiresAt ? day(c.expiresAt) : "never",
          ]),
          { id: "share-contacts" },
        ),
  );
}

function shareForm(caseId: string, share: Share | null, contacts: Contact[]): HTMLElement {
  const problems = h("div", { class: "problems" });
  const invited = new Map((share?.attributes?.contacts ?? []).map((c) => [c.contact, c]));
  const sections = SECTIONS.map((s) => ({
    s,
    box: checkbox(`${s.label}: ${s.hint}`, { id: `share-${s.key}`, checked: share?.attributes?.[s.key] ?? false }),
    kinds: s.kinds.map((k) => ({ k, box: checkbox(k.label, { id: `share-${k.key}`, checked: share?.attributes?.[k.key] ?? true }) })),
  }));
  const rows = contacts.map((c) => contactFieldset(c, invited.get(c.id)));
  const submit = h("button", { type: "submit", id: "share-submit" }, share ? "Save sharing" : "Share and send invitations");

  const form = h(
    "form",
    { id: "share-form", "aria-labelledby": "share-form-heading" },
    h("h2", { id: "share-form-heading" }, share ? "Change the sharing" : "Share the case"),
    problems,
    h(
      "fieldset",
      {},
      h("legend", {}, "Sections the contacts see"),
      ...sections.map((x) => h("div", { class: "section-choice" }, x.box.el, x.kinds.length ? h("div", { class: "kinds" }, ...x.kinds.map((k) => k.box.el)) : null)),
    ),
    contacts.length === 0 ? h("p", {}, "The case's account has no contacts.") : h("fieldset", {}, h("legend", {}, "Contacts of the account"), ...rows.map((r) => r.el)),
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(problems);
    submit.disabled = true;
    const attributes = {
      showPhases: sections[0]?.box.input.checked ?? false,
      showOther: sections[1]?.box.input.checked ?? false,
      showFinancials: sections[2]?.box.input.checked ?? false,
      ...Object.fromEntries(sections.flatMap((x) => x.kinds.map((k) => [k.k.key, k.box.input.checked]))),
      contacts: rows.flatMap((r) => r.value()),
    };
    try {
      if (share) {
        await must(
          api.PATCH("/api/v1/extranet-shares/{id}", {
            params: { path: { id: share.id } },
            body: { data: { type: "extranet-shares", id: share.id, attributes: { ...attributes, version: share.attributes?.version ?? 0 } } },
          }),
        );
      } else {
        await must(
          api.POST("/api/v1/extranet-shares", {
            body: { data: { type: "extranet-shares", attributes, relationships: { case: { data: { type: "cases", id: caseId } } } } },
          }),
        );
      }
      await navigate(`/app/cases/${caseId}/share?saved=1`, { replace: true });
    } catch (err) {
      replace(problems, errorBox(err, "Could not save the sharing."));
      problems.scrollIntoView?.({ block: "nearest" });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// contactFieldset is one contact: whether they are invited, their rights and their expiry.
function contactFieldset(c: Contact, was: ShareContact | undefined): { el: HTMLElement; value: () => ShareContact[] } {
  const a = c.attributes;
  const person = `${a?.firstName ?? ""} ${a?.lastName ?? ""}`.trim() || `Contact ${c.id}`;
  const invite = checkbox(`Invite ${person}`, { class: "invite", "data-contact": c.id, "data-email": a?.email ?? "", checked: was !== undefined });
  const rights = RIGHTS.map((r) => ({ r, box: checkbox(r.label, { class: r.key, checked: was?.[r.key] ?? r.key !== "canChangeStatus" }) }));
  const expires = h("input", { type: "date", class: "expires", value: was?.expiresAt ? was.expiresAt.slice(0, 10) : "" });
  const children: Child[] = [
    h("legend", {}, person, a?.email ? ` (${a.email})` : " (no email address: cannot be invited)"),
    invite.el,
    h("div", { class: "rights" }, ...rights.map((x) => x.box.el)),
    field("Access ends on", expires, "Leave empty for no end."),
  ];
  return {
    el: h("fieldset", { class: "contact", id: `contact-${c.id}` }, ...children),
    value: () =>
      invite.input.checked
        ? [
            {
              contact: c.id,
              ...Object.fromEntries(rights.map((x) => [x.r.key, x.box.input.checked])),
              expiresAt: expires.value ? new Date(`${expires.value}T23:59:59`).toISOString() : null,
            },
          ]
        : [],
  };
}
