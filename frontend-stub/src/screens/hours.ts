// A case's work hours: entering hours (POST /work-hours), and approving or rejecting them
// (POST /work-hours/{id}/approve|reject; a rejection needs a comment). The server decides who
// may approve (WHA-1..7): every pending row offers the actions, and a refusal says which
// rule refused it.
import { api, must, nameOf, type Schemas } from "../api";
import { checkbox, field, h, replace, section, select, uid, type Child } from "../dom";
import { errorBox } from "../errors";
import { day, hours, today, words } from "../format";
import { cell, hourFigures, present } from "./columns";

type Hour = Schemas["WorkHour"];
type Decide = (hour: Hour, approve: boolean, comment: string, what: string) => Promise<void>;

/** hoursSection is the hours part of a case screen; it reloads itself after each change. */
export async function hoursSection(caseId: string, phases: Schemas["Phase"][]): Promise<HTMLElement> {
  const status = h("p", { role: "status", class: "notice", id: "hours-status" });
  const problems = h("div", { class: "problems" });
  const listing = h("div", { id: "hours-listing" });

  async function refresh(message = ""): Promise<void> {
    try {
      const doc = await must(
        api.GET("/api/v1/work-hours", {
          params: { query: { "filter[case]": caseId, "page[size]": 100, sort: "-workDate", include: "user,phase" } },
        }),
      );
      replace(listing, hourTable(doc.data, doc.included, decide));
    } catch (err) {
      replace(listing, errorBox(err));
    }
    status.textContent = message;
    if (message) {
      // The row that had the focus is gone: the focus moves to what happened.
      status.setAttribute("tabindex", "-1");
      status.focus();
    }
  }

  // decide approves or rejects one hour and shows the outcome.
  async function decide(hour: Hour, approve: boolean, comment: string, what: string): Promise<void> {
    replace(problems);
    status.textContent = "";
    const params = { params: { path: { id: hour.id } } };
    const body = { data: { type: "approval-decisions" as const, attributes: comment ? { comment } : {} } };
    try {
      if (approve) await must(api.POST("/api/v1/work-hours/{id}/approve", { ...params, body }));
      else await must(api.POST("/api/v1/work-hours/{id}/reject", { ...params, body }));
      await refresh(approve ? "The hours were approved." : "The hours were rejected.");
    } catch (err) {
      replace(problems, errorBox(err, `Could not ${approve ? "approve" : "reject"} the hours of ${what}.`));
    }
  }

  const form = entryForm(
    caseId,
    phases,
    async (message) => {
      replace(problems);
      await refresh(message);
    },
    (err) => {
      status.textContent = "";
      replace(problems, errorBox(err, "Could not save your hours."));
    },
  );
  await refresh();
  return section("hours", "Hours", form, problems, status, listing);
}

function entryForm(
  caseId: string,
  phases: Schemas["Phase"][],
  saved: (message: string) => Promise<void>,
  failed: (err: unknown) => void,
): HTMLElement {
  const date = h("input", { type: "date", id: "hour-date", name: "workDate", required: true, value: today() });
  const amount = h("input", { type: "number", id: "hour-hours", name: "hours", required: true, min: "0.25", max: "24", step: "0.25", inputmode: "decimal" });
  const phase = select("phase", [["", "No phase"], ...phases.map((p): [string, string] => [p.id, p.attributes?.name ?? `Phase ${p.id}`])], "", { id: "hour-phase" });
  const description = h("input", { type: "text", id: "hour-description", name: "description", maxlength: "500" });
  const billable = checkbox("Billable", { id: "hour-billable", name: "billable", checked: true });
  const submit = h("button", { type: "submit", id: "hour-submit" }, "Save hours");
  const form = h(
    "form",
    { id: "hour-form", "aria-labelledby": "hour-form-heading", class: "inline-form" },
    h("h3", { id: "hour-form-heading" }, "Enter your hours"),
    field("Date", date),
    field("Hours", amount, "For example 1.5 for an hour and a half."),
    field("Phase", phase),
    field("Description", description),
    billable.el,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await must(
        api.POST("/api/v1/work-hours", {
          body: {
            data: {
              type: "work-hours",
              attributes: {
                workDate: date.value,
                minutes: Math.round(Number(amount.value) * 60),
                description: description.value,
                billable: billable.input.checked,
              },
              relationships: {
                case: { data: { type: "cases", id: caseId } },
                ...(phase.value ? { phase: { data: { type: "phases", id: phase.value } } } : {}),
              },
            },
          },
        }),
      );
      amount.value = "";
      description.value = "";
      await saved("Your hours were saved.");
    } catch (err) {
      failed(err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function hourTable(list: Hour[], included: Schemas["AnyResource"][] | undefined, decide: Decide): Child {
  if (list.length === 0) return h("p", {}, "No hours yet.");
  const figures = present(hourFigures, list.map((x) => x.attributes));
  const headers = ["Date", "Person", "Phase", "Hours", "Description", "Billable", "Approval", ...figures.map((f) => f.label), "Actions"];
  return h(
    "table",
    { id: "hour-table", "data-financials": figures.length > 0 ? "shown" : "hidden" },
    h("caption", {}, "Hours entered on the case, newest first"),
    h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      ...list.map((x) => {
        const a = x.attributes;
        const who = nameOf(included, x.relationships?.user?.data);
        const status = a?.approvalStatus ?? "";
        return h(
          "tr",
          { id: `hour-${x.id}`, class: `hour ${status}` },
          h("th", { scope: "row" }, day(a?.workDate)),
          h("td", {}, who),
          h("td", {}, x.relationships?.phase?.data ? nameOf(included, x.relationships.phase.data) : "—"),
          h("td", { class: "num" }, hours(a?.minutes)),
          h("td", {}, a?.description ?? ""),
          h("td", {}, a?.billable ? "Yes" : "No"),
          h("td", {}, words(status), status === "rejected" && a?.rejectComment ? `: ${a.rejectComment}` : null),
          ...figures.map((f) => h("td", { class: "num" }, cell(f, a))),
          h("td", {}, status === "pending" ? actions(x, `${day(a?.workDate)} by ${who}`, decide) : null),
        );
      }),
    ),
  );
}

// actions are the approve button and the reject form of one pending hour.
function actions(hour: Hour, what: string, decide: Decide): HTMLElement {
  const approve = h("button", { type: "button", class: "approve", "aria-label": `Approve the hours of ${what}` }, "Approve");
  approve.addEventListener("click", () => {
    approve.disabled = true;
    void decide(hour, true, "", what).finally(() => (approve.disabled = false));
  });
  const comment = h("input", { type: "text", name: "comment", required: true, id: uid("reject-comment"), class: "reject-comment" });
  const reject = h(
    "form",
    { class: "reject", "aria-label": `Reject the hours of ${what}` },
    h("label", { for: comment.id }, "Reason for rejecting"),
    comment,
    h("button", { type: "submit" }, "Reject"),
  );
  reject.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!comment.value.trim()) {
      comment.focus();
      return;
    }
    void decide(hour, false, comment.value.trim(), what);
  });
  return h("div", { class: "decide" }, approve, reject);
}
