// The REST API from the browser: session cookie, CSRF header, one error shape.
// A 401 means the session has ended: the user is sent to log in, with a
// message, and comes back to this page afterwards.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}.`);
    this.status = status;
    this.body = body || {};
    this.fields = (body && body.fields) || {};
  }
}

export function csrfToken() {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "csrftoken") return decodeURIComponent(rest.join("="));
  }
  return "";
}

export function sessionExpired() {
  const next = location.pathname + location.search;
  location.assign(`/login?reason=expired&next=${encodeURIComponent(next)}`);
}

function url(path) {
  if (path.startsWith("http") || path.startsWith("/")) return path;
  return `/api/v1/${path}`;
}

export async function api(path, { method = "GET", body, form, redirectOn401 = true } = {}) {
  const headers = { Accept: "application/json" };
  let payload;
  if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = csrfToken();
  if (form !== undefined) {
    payload = form;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url(path), { method, headers, body: payload, credentials: "same-origin" });
  } catch (error) {
    throw new ApiError(0, { message: "The server cannot be reached. Check your connection and try again." });
  }
  if (response.status === 204) return null;
  let data = null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) data = await response.json();
  if (response.status === 401 && redirectOn401) {
    sessionExpired();
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Every page of a paginated list.
export async function apiAll(path) {
  const items = [];
  let next = path;
  while (next) {
    const page = await api(next);
    items.push(...page.results);
    next = page.next;
  }
  return items;
}

export function uuid4() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
