// One case: its details, its figures (only when the API sends them), phases, hours (with
// entry and approval, hours.ts), files and invoices.
import { api, must, nameOf, type Schemas } from "../api";
import { h, section, table, type Child } from "../dom";
import { errorBox } from "../errors";
import { day, words } from "../format";
import type { Screen } from "../router";
import { caseFigures, cell, invoiceFigures, present } from "./columns";
import { hoursSection } from "./hours";

type Case = Schemas["Case"];

/** caseScreen shows one case and everything of it the caller may see. */
export async function caseScreen(id: string): Promise<Screen> {
  const caseDoc = await must(api.GET("/api/v1/cases/{id}", { params: { path: { id }, query: { include: "account,owner" } } }));
  const c = caseDoc.data;
  const name = c.attributes?.name ?? `Case ${id}`;
  const byCase = { "filter[case]": id, "page[size]": 100 };
  const [phases, files, invoices] = await Promise.allSettled([
    must(api.GET("/api/v1/phases", { params: { query: { ...byCase, sort: "startsOn" } } })),
    must(api.GET("/api/v1/files", { params: { query: { ...byCase, sort: "name" } } })),
    must(api.GET("/api/v1/invoices", { params: { query: { ...byCase, sort: "-issueDate", include: "status" } } })),
  ]);
  const phaseList = phases.status === "fulfilled" ? phases.value.data : [];

  return {
    title: name,
    node: h(
      "div",
      {},
      h("h1", { id: "case-name" }, name),
      details(c, caseDoc.included),
      h(
        "nav",
        { "aria-label": "About this case", class: "case-links" },
        h(
          "ul",
          {},
          h("li", {}, h("a", { href: `/app/cases/${id}/share`, id: "share-link" }, "Share to the extranet")),
          h("li", {}, h("a", { href: `/app/cases/${id}/viewers` }, "Who can see this case")),
          h("li", {}, h("a", { href: `/app/access?resource=cases/${id}` }, "Why can someone see this case")),
        ),
      ),
      figures(c),
      section("phases", "Phases", settled(phases, (d) => phaseTable(d.data))),
      await hoursSection(id, phaseList),
      section("files", "Files and links", settled(files, (d) => fileTable(d.data))),
      section("invoices", "Invoices", settled(invoices, (d) => invoiceTable(d.data, d.included))),
    ),
  };
}

function details(c: Case, included: Schemas["AnyResource"][] | undefined): HTMLElement {
  const row = (term: string, value: Child) => [h("dt", {}, term), h("dd", {}, value)];
  return h(
    "dl",
    { class: "details" },
    ...row("Account", nameOf(included, c.relationships?.account?.data)),
    ...row("Owner", nameOf(included, c.relationships?.owner?.data)),
    ...row("Status", words(c.attributes?.status)),
    ...row("Starts", day(c.attributes?.startsOn)),
    ...row("Ends", day(c.attributes?.endsOn)),
  );
}

// figures shows the case's financial attributes, or says that they are not shown.
function figures(c: Case): HTMLElement {
  const shown = present(caseFigures, [c.attributes]);
  if (shown.length === 0) {
    return section("no-figures", "Figures", h("p", {}, "The financial figures of this case are not shown to you."));
  }
  return section(
    "case-figures",
    "Figures",
    h("dl", { class: "details figures" }, ...shown.flatMap((f) => [h("dt", {}, f.label), h("dd", { class: "num" }, cell(f, c.attributes))])),
  );
}

function settled<T>(r: PromiseSettledResult<T>, show: (v: T) => Child): Child {
  return r.status === "fulfilled" ? show(r.value) : errorBox(r.reason);
}

function phaseTable(list: Schemas["Phase"][]): Child {
  if (list.length === 0) return h("p", {}, "No phases.");
  return table(
    "Phases of the case",
    ["Phase", "Status", "Starts", "Ends", "Approval"],
    list.map((p) => [
      p.attributes?.name ?? "",
      words(p.attributes?.status),
      day(p.attributes?.startsOn),
      day(p.attributes?.endsOn),
      words(p.attributes?.approvalStatus),
    ]),
  );
}

function fileTable(list: Schemas["File"][]): Child {
  if (list.length === 0) return h("p", {}, "No files or links.");
  return table(
    "Files and links of the case",
    ["Name", "Kind", "Type", "Size", "Added"],
    list.map((f) => {
      const a = f.attributes;
      const nameCell: Child =
        a?.kind === "link" && a.url && /^https?:\/\//.test(a.url)
          ? h("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" }, a.name ?? a.url, h("span", { class: "visually-hidden" }, " (opens in a new tab)"))
          : h("button", { type: "button", class: "link download", onclick: () => void download(f.id, a?.name ?? "file") }, `Download ${a?.name ?? "file"}`);
      return [nameCell, words(a?.kind), a?.contentType ?? "", typeof a?.size === "number" ? `${a.size} bytes` : "", day(a?.createdAt)];
    }),
  );
}

// download fetches a file with the session's token (a plain link would carry none) and
// hands it to the browser as a download.
async function download(id: string, name: string): Promise<void> {
  const { data, response } = await api.GET("/api/v1/files/{id}/content", { params: { path: { id } }, parseAs: "blob" });
  if (!response.ok || !(data instanceof Blob)) return;
  const url = URL.createObjectURL(data);
  const a = h("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function invoiceTable(list: Schemas["Invoice"][], included: Schemas["AnyResource"][] | undefined): Child {
  if (list.length === 0) return h("p", {}, "No invoices.");
  const amounts = present(invoiceFigures, list.map((i) => i.attributes));
  return table(
    "Invoices of the case",
    ["Number", "Status", "Issued", "Due", "Reminders", ...amounts.map((f) => f.label)],
    list.map((i) => [
      i.attributes?.number ?? `Invoice ${i.id}`,
      nameOf(included, i.relationships?.status?.data),
      day(i.attributes?.issueDate),
      day(i.attributes?.dueDate),
      String(i.attributes?.reminderCount ?? 0),
      ...amounts.map((f) => cell(f, i.attributes)),
    ]),
    { id: "invoice-table", "data-financials": amounts.length > 0 ? "shown" : "hidden" },
  );
}
