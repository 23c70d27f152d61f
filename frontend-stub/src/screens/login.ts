// Log in: POST /api/v1/sessions; the token goes to sessionStorage.
import { api, must } from "../api";
import { field, h, replace } from "../dom";
import { errorBox } from "../errors";
import { navigate, type Screen } from "../router";
import * as session from "../session";

export function loginScreen(q: URLSearchParams): Screen {
  const email = h("input", { type: "email", id: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", id: "password", name: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", id: "login-submit" }, "Log in");
  const problems = h("div", { class: "problems" });
  const notice = q.get("expired")
    ? "Your session has ended. Please log in again."
    : q.get("out")
      ? "You have logged out."
      : "";

  const form = h(
    "form",
    { id: "login-form", "aria-labelledby": "login-heading" },
    problems,
    field("Email", email),
    field("Password", password),
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    replace(problems);
    session.clear();
    try {
      const doc = await must(
        api.POST("/api/v1/sessions", {
          body: { data: { type: "sessions", attributes: { email: email.value.trim(), password: password.value } } },
        }),
      );
      session.save({
        token: doc.data.attributes.token,
        userId: doc.data.relationships?.user?.data?.id ?? "",
        expiresAt: doc.data.attributes.expiresAt,
      });
      const next = q.get("next") ?? "";
      await navigate(next.startsWith("/app/") && !next.startsWith("/app/login") ? next : "/app/cases");
    } catch (err) {
      replace(problems, errorBox(err));
      password.value = "";
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });

  return {
    title: "Log in",
    node: h(
      "div",
      { class: "narrow" },
      h("h1", { id: "login-heading" }, "Log in to Caseroom"),
      notice ? h("p", { role: "status", class: "notice" }, notice) : null,
      form,
    ),
  };
}
