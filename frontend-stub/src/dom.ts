// Minimal DOM helpers. Text always goes in as text nodes, never as HTML, so nothing the API
// returns can become markup; and no element gets a style attribute, which the page's
// Content-Security-Policy (style-src 'self') would refuse anyway.

export type Child = Node | string | number | null | undefined | false;
type Value = string | number | boolean | null | undefined;
export type Attrs = { [name: string]: Value | ((e: Event) => void) };

/** h builds an element: attributes (on* names add listeners; true is a bare attribute;
 * false, null and undefined leave it out) and children (nested arrays are flattened). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

/** append adds children to a parent, skipping empty ones. */
export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/** replace puts children in place of a parent's content. */
export function replace(parent: Node, ...children: (Child | Child[])[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

let ids = 0;

/** uid returns an element id unique on the page, for label/for and aria-describedby. */
export function uid(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** field is a labelled form control: the label names it, and a hint describes it. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  if (!control.id) control.id = uid("f");
  const parts: Child[] = [h("label", { for: control.id }, label)];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute("aria-describedby", hintId);
    parts.push(h("span", { id: hintId, class: "hint" }, hint));
  }
  parts.push(control);
  return h("div", { class: "field" }, ...parts);
}

/** checkbox is a labelled checkbox, its label after the box. */
export function checkbox(label: string, attrs: Attrs = {}): { el: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { type: "checkbox", ...attrs });
  if (!input.id) input.id = uid("c");
  return { el: h("div", { class: "check" }, input, h("label", { for: input.id }, label)), input };
}

/** select builds a select from value/label pairs. */
export function select(name: string, options: [string, string][], selected = "", attrs: Attrs = {}): HTMLSelectElement {
  return h("select", { name, ...attrs }, ...options.map(([value, label]) => h("option", { value, selected: value === selected }, label)));
}

/** Row is a table row with attributes of its own (an id, a class). */
export type Row = { attrs: Attrs; cells: Child[] };

/** table builds a data table with a caption and column headers; a row's first cell is its
 * row header. */
export function table(caption: string, headers: string[], rows: (Child[] | Row)[], attrs: Attrs = {}): HTMLTableElement {
  const tr = (row: Child[] | Row) => {
    const { attrs: rowAttrs, cells } = Array.isArray(row) ? { attrs: {}, cells: row } : row;
    return h("tr", rowAttrs, ...cells.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", {}, c))));
  };
  return h(
    "table",
    attrs,
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...headers.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map(tr)),
  );
}

/** section is a region labelled by its h2. */
export function section(id: string, title: string, ...content: (Child | Child[])[]): HTMLElement {
  return h("section", { id, "aria-labelledby": `${id}-heading` }, h("h2", { id: `${id}-heading` }, title), ...content);
}
