// Financial columns appear only when the API sends those attributes: for a caller who may
// not see them they are absent (never null), so a column is shown when at least one row
// carries it. The keys are typed against the generated schema, so renaming an attribute in
// openapi/api.yaml breaks the build here.
import type { Schemas } from "../api";
import { cents, day, words } from "../format";

/** Column is one optional attribute column. */
export type Column<A> = { key: keyof A & string; label: string; show: (v: unknown) => string };

type CaseAttrs = Schemas["CaseAttributes"];
type HourAttrs = NonNullable<Schemas["WorkHour"]["attributes"]>;
type InvoiceAttrs = NonNullable<Schemas["Invoice"]["attributes"]>;

const percent = (v: unknown) => (typeof v === "number" ? `${v} %` : "");

/** caseFigures are the case's financial attributes (CASE-5..8). */
export const caseFigures: Column<CaseAttrs>[] = [
  { key: "billingForecast", label: "Billing forecast", show: cents },
  { key: "expenseForecast", label: "Expense forecast", show: cents },
  { key: "expectedValue", label: "Expected value", show: cents },
  { key: "probability", label: "Probability", show: percent },
  { key: "expectedOrderDate", label: "Expected order date", show: day },
  { key: "revenue", label: "Revenue", show: cents },
  { key: "billed", label: "Billed", show: cents },
  { key: "uninvoiced", label: "Uninvoiced", show: cents },
  { key: "laborExpenses", label: "Labour expenses", show: cents },
  { key: "otherExpenses", label: "Other expenses", show: cents },
  { key: "totalExpenses", label: "Total expenses", show: cents },
  { key: "margin", label: "Margin", show: cents },
];

/** caseListFigures are the figures the case list shows, when present. */
export const caseListFigures = caseFigures.filter((c) => ["billingForecast", "revenue", "billed", "uninvoiced", "margin"].includes(c.key));

/** hourFigures are a work hour's price and cost (CASE-5). */
export const hourFigures: Column<HourAttrs>[] = [
  { key: "unitPrice", label: "Unit price", show: cents },
  { key: "price", label: "Price", show: cents },
  { key: "unitCost", label: "Unit cost", show: cents },
  { key: "cost", label: "Cost", show: cents },
];

/** invoiceFigures are an invoice's amounts (CASE-6). */
export const invoiceFigures: Column<InvoiceAttrs>[] = [{ key: "total", label: "Total", show: cents }];

/** present keeps the columns that at least one row's attributes carry. */
export function present<A>(columns: Column<A>[], rows: (A | undefined)[]): Column<A>[] {
  return columns.filter((c) => rows.some((a) => a !== undefined && a !== null && Object.prototype.hasOwnProperty.call(a, c.key)));
}

/** cell shows a row's value of a column; a row that lacks it says so in words. */
export function cell<A>(c: Column<A>, attrs: A | undefined): string {
  if (!attrs || !Object.prototype.hasOwnProperty.call(attrs, c.key)) return "not shown";
  return c.show((attrs as Record<string, unknown>)[c.key]);
}

export { words };
