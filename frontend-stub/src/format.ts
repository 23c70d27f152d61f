// How values read on screen.

const money = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** cents shows an amount in minor units: 450000 → "4,500.00". */
export function cents(v: unknown): string {
  return typeof v === "number" ? money.format(v / 100) : "";
}

/** hours shows minutes as hours: 270 → "4.5 h". */
export function hours(minutes: unknown): string {
  if (typeof minutes !== "number") return "";
  return `${Number((minutes / 60).toFixed(2))} h`;
}

/** day shows a date (YYYY-MM-DD) or an empty one. */
export function day(v: unknown): string {
  return typeof v === "string" && v !== "" ? v.slice(0, 10) : "—";
}

/** words turns a status or attribute name into words: "in_progress" → "in progress",
 * "billingForecast" → "billing forecast". */
export function words(v: unknown): string {
  if (typeof v !== "string") return "";
  return v.replace(/_/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** today is the local date as YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
