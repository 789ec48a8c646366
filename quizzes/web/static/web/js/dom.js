// Building the page. Text always goes in as text nodes: nothing from the API
// is ever parsed as HTML, so a passage containing <script> shows as text.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    // Through the CSSOM: a style attribute would be blocked by the Content-Security-Policy.
    else if (key === "style") node.style.cssText = String(value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function flash(message, kind = "info") {
  const box = document.getElementById("flash");
  if (!box) return;
  clear(box);
  if (message) box.append(el("p", { class: `flash ${kind}`, text: message }));
}

export function showError(error, target) {
  const message = (error && error.message) || "Something went wrong.";
  if (target) target.textContent = message;
  else flash(message, "error");
}

// Field errors from the API's one error shape into `#<name>-error` elements.
export function showFieldErrors(form, error) {
  for (const node of form.querySelectorAll(".error")) node.textContent = "";
  const fields = (error && error.fields) || {};
  let shown = false;
  for (const [name, messages] of Object.entries(fields)) {
    const target = form.querySelector(`#${CSS.escape(name)}-error`);
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (target) {
      target.textContent = messages.join(" ");
      shown = true;
    }
    if (input) input.setAttribute("aria-invalid", "true");
  }
  const general = form.querySelector("#form-error");
  if (general) general.textContent = shown ? "Please correct the fields marked below." : error.message;
}

// A passage's text with the evidence span [start, end) marked.
export function highlighted(text, start, end) {
  const box = el("p", { class: "passage-text" });
  if (start === null || start === undefined || end <= start || start >= text.length) {
    box.append(document.createTextNode(text));
    return box;
  }
  box.append(document.createTextNode(text.slice(0, start)));
  box.append(el("mark", { class: "evidence", text: text.slice(start, end) }));
  box.append(document.createTextNode(text.slice(end)));
  return box;
}

export function formatInterval(seconds) {
  if (seconds === null || seconds === undefined) return "";
  if (seconds < 60) return "<1m";
  const minutes = seconds / 60;
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const hours = minutes / 60;
  if (hours < 24) return `${Math.round(hours)}h`;
  const days = hours / 24;
  if (days < 31) return `${Math.round(days)}d`;
  const months = days / 30.4;
  if (months < 12) return `${months.toFixed(months < 10 ? 1 : 0)}mo`;
  return `${(days / 365).toFixed(1)}y`;
}

export function formatDateTime(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function formatPercent(value) {
  if (value === null || value === undefined) return "—";
  return `${Math.round(value * 100)}%`;
}

export function main() {
  return document.getElementById("main");
}

export function dataInt(name) {
  return parseInt(main().dataset[name], 10);
}

export const STATUS_LABELS = {
  not_started: "Not started",
  in_progress: "In progress",
  submitted: "Done",
  late: "Late",
  missed: "Missed",
};
