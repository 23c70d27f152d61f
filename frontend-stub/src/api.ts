// The API client is generated: schema.d.ts comes from openapi/api.yaml at every build
// (npm run generate), and openapi-fetch types every path, parameter, body and response
// from it. A change in the document that breaks a screen breaks `npm run build`.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./api/schema";
import { ApiError, type ErrorDocument } from "./errors";
import * as session from "./session";

/** Schemas are the document's named schemas. */
export type Schemas = components["schemas"];

export const MEDIA_TYPE = "application/vnd.api+json";

// JSON:API wants its own media type on every body; openapi-fetch sends application/json.
const jsonAPI: Middleware = {
  onRequest({ request }) {
    if (request.headers.get("Content-Type") === "application/json") {
      request.headers.set("Content-Type", MEDIA_TYPE);
    }
    const s = session.current();
    if (s && !request.headers.has("Authorization")) {
      request.headers.set("Authorization", `Bearer ${s.token}`);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, headers: { Accept: MEDIA_TYPE } });
api.use(jsonAPI);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** must returns a response's document, or throws an ApiError that carries the server's
 * errors[] (detail, rule IDs) for the screen to show. */
export async function must<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) {
    throw new ApiError(response.status, error as ErrorDocument | undefined, response.headers.get("Retry-After"));
  }
  return data;
}

/** mustSucceed is must for answers without a document (204). */
export async function mustSucceed(call: Promise<Result<unknown>>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok) {
    throw new ApiError(response.status, error as ErrorDocument | undefined, response.headers.get("Retry-After"));
  }
}

/** Resource is any JSON:API resource object, for included resources. */
export type Resource = Schemas["AnyResource"];

/** nameOf finds the name of an included resource (users, accounts, phases…). */
export function nameOf(included: Resource[] | undefined, ref: { type: string; id: string } | null | undefined): string {
  if (!ref) return "";
  const r = included?.find((x) => x.type === ref.type && x.id === ref.id);
  const attrs = (r?.attributes ?? {}) as Record<string, unknown>;
  return typeof attrs.name === "string" ? attrs.name : `${ref.type} ${ref.id}`;
}

/** relId is the id of a to-one relationship, or "". */
export function relId(rel: Schemas["ToOne"] | undefined): string {
  const d = rel?.data;
  return d ? d.id : "";
}

/** pageOf reads page[number] from a paging link ("" when there is no such link). */
export function pageOf(link: string | undefined): string {
  if (!link) return "";
  return new URL(link, window.location.origin).searchParams.get("page[number]") ?? "";
}
