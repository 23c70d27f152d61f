// The cases list: paging by page[number]/page[size] (following the answer's links), a sort
// and a status filter, all kept in the app's own URL so that back and reload work.
import { api, must, nameOf, pageOf } from "../api";
import { field, h, select } from "../dom";
import { day, words } from "../format";
import { navigate, type Screen } from "../router";
import { caseListFigures, cell, present } from "./columns";

const STATUSES: [string, string][] = [
  ["", "Any status"],
  ["open", "Open"],
  ["in_progress", "In progress"],
  ["on_hold", "On hold"],
  ["closed", "Closed"],
];
const SORTS: [string, string][] = [
  ["name", "Name, A to Z"],
  ["-name", "Name, Z to A"],
  ["status", "Status"],
  ["-createdAt", "Newest first"],
  ["createdAt", "Oldest first"],
  ["-updatedAt", "Recently changed"],
];
const SIZES = [5, 10, 25, 50, 100];

/** casesScreen lists the cases the caller may view. */
export async function casesScreen(q: URLSearchParams): Promise<Screen> {
  const page = positive(q.get("page"), 1);
  const size = Math.min(positive(q.get("size"), 10), 100);
  const sort = SORTS.some(([v]) => v === q.get("sort")) ? (q.get("sort") as string) : "name";
  const status = STATUSES.some(([v]) => v === q.get("status")) ? (q.get("status") as string) : "";

  const doc = await must(
    api.GET("/api/v1/cases", {
      params: {
        query: {
          "page[number]": page,
          "page[size]": size,
          sort,
          include: "account,owner",
          ...(status ? { "filter[status]": status } : {}),
        },
      },
    }),
  );
  const rows = doc.data;
  const figures = present(caseListFigures, rows.map((c) => c.attributes));
  const total = doc.meta?.total;

  const statusSelect = select("status", STATUSES, status, { id: "filter-status" });
  const sortSelect = select("sort", SORTS, sort, { id: "sort" });
  // A size from the address that is not among the usual ones is offered too.
  const sizes = [...new Set([...SIZES, size])].sort((a, b) => a - b).map((n): [string, string] => [String(n), String(n)]);
  const sizeSelect = select("size", sizes, String(size), { id: "page-size" });
  const form = h(
    "form",
    { id: "case-filters", class: "toolbar", "aria-label": "Filter and sort cases" },
    field("Status", statusSelect),
    field("Sort by", sortSelect),
    field("Cases per page", sizeSelect),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Show cases")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void navigate(listURL({ page: 1, size: Number(sizeSelect.value), sort: sortSelect.value, status: statusSelect.value }));
  });

  const at = (p: string) => (p ? listURL({ page: Number(p), size, sort, status }) : "");
  const headers = ["Case", "Account", "Owner", "Status", "Starts", "Ends", ...figures.map((f) => f.label)];
  const body = rows.map((c) =>
    h(
      "tr",
      { id: `case-${c.id}`, class: "case" },
      h("th", { scope: "row" }, h("a", { href: `/app/cases/${c.id}`, class: "case-link" }, c.attributes?.name ?? `Case ${c.id}`)),
      h("td", {}, nameOf(doc.included, c.relationships?.account?.data)),
      h("td", {}, nameOf(doc.included, c.relationships?.owner?.data)),
      h("td", {}, words(c.attributes?.status)),
      h("td", {}, day(c.attributes?.startsOn)),
      h("td", {}, day(c.attributes?.endsOn)),
      ...figures.map((f) => h("td", { class: "num" }, cell(f, c.attributes))),
    ),
  );
  const pages = total !== undefined ? Math.max(1, Math.ceil(total / size)) : undefined;
  const summary =
    total !== undefined
      ? `Page ${page} of ${pages}, ${total} ${total === 1 ? "case" : "cases"}`
      : `Page ${page}, more than 1,000 cases`;

  return {
    title: "Cases",
    node: h(
      "div",
      {},
      h("h1", {}, "Cases"),
      form,
      rows.length === 0
        ? h("p", { id: "no-cases" }, "No cases match.")
        : h(
            "table",
            { id: "cases", "data-financials": figures.length > 0 ? "shown" : "hidden" },
            h("caption", {}, summary),
            h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
            h("tbody", {}, ...body),
          ),
      pager(at(pageOf(doc.links?.first)), at(pageOf(doc.links?.prev)), at(pageOf(doc.links?.next)), at(pageOf(doc.links?.last))),
    ),
  };
}

function pager(first: string, prev: string, next: string, last: string): HTMLElement {
  const link = (href: string, text: string, rel: string) =>
    h("li", {}, href ? h("a", { href, rel: rel || null, class: `page-${text.split(" ")[0]?.toLowerCase()}` }, text) : h("span", { class: "disabled" }, text));
  return h(
    "nav",
    { "aria-label": "Pages of cases", class: "pager" },
    h("ul", {}, link(first, "First page", ""), link(prev, "Previous page", "prev"), link(next, "Next page", "next"), link(last, "Last page", "")),
  );
}

function listURL(p: { page: number; size: number; sort: string; status: string }): string {
  const q = new URLSearchParams({ page: String(p.page), size: String(p.size), sort: p.sort });
  if (p.status) q.set("status", p.status);
  return `/app/cases?${q}`;
}

function positive(v: string | null, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
