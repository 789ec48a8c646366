import { api, apiAll } from "./api.js";
import { $, append, clear, dataInt, el, flash, highlighted } from "./dom.js";

const deckId = dataInt("deckId");
const filters = $("#filters");
const list = $("#questions");
const passages = new Map();
let questions = [];
let selected = null;

const KIND_LABELS = { cloze: "Cloze", short_answer: "Short answer", multiple_choice: "Multiple choice", true_false: "True / false" };

async function passage(id) {
  if (!passages.has(id)) passages.set(id, await api(`passages/${id}`));
  return passages.get(id);
}

let showing = 0;

async function showPassage(question) {
  selected = question.id;
  const token = ++showing;
  for (const node of list.querySelectorAll(".qitem")) node.classList.toggle("selected", Number(node.dataset.question) === question.id);
  const pane = $("#passage");
  try {
    const p = await passage(question.passage);
    if (token !== showing) return; // a later choice won
    clear(pane).append(
      el("p", { class: "muted", text: `${p.heading || "Passage"} · question ${question.id}` }),
      highlighted(p.text, question.evidence.start, question.evidence.end),
      el("p", { class: "muted", text: "The highlighted words are the evidence for the answer." }));
  } catch (error) {
    if (token === showing) clear(pane).append(el("p", { text: "The passage could not be loaded." }));
  }
}

async function update(question, changes, message) {
  try {
    const updated = await api(`questions/${question.id}`, { method: "PATCH", body: changes });
    const index = questions.findIndex((q) => q.id === question.id);
    questions[index] = updated;
    const node = list.querySelector(`[data-question="${question.id}"]`);
    const replacement = item(updated);
    node.replaceWith(replacement);
    counts();
    flash(message, "success");
    return replacement;
  } catch (error) {
    flash(error.message, "error");
    return null;
  }
}

function editor(question, node) {
  const id = (name) => `e-${question.id}-${name}`;
  const hasChoices = question.kind === "multiple_choice";
  const form = el("form", { class: "editor", "aria-label": `Edit question ${question.id}` },
    el("div", { class: "field" }, el("label", { for: id("prompt"), text: "Prompt" }),
      el("textarea", { id: id("prompt"), name: "prompt", rows: 3, style: "min-height:5rem" })),
    el("div", { class: "field" }, el("label", { for: id("answer"), text: "Answer" }),
      el("input", { id: id("answer"), name: "answer" })),
    question.kind === "cloze" || question.kind === "short_answer"
      ? el("div", { class: "field" }, el("label", { for: id("accepted"), text: "Other accepted answers, one per line" }),
          el("textarea", { id: id("accepted"), name: "accepted", rows: 2, style: "min-height:3.5rem" })) : null,
    hasChoices ? el("div", { class: "field" }, el("label", { for: id("choices"), text: "Options, one per line (include the answer)" }),
      el("textarea", { id: id("choices"), name: "choices", rows: 4, style: "min-height:5rem" })) : null,
    el("div", { class: "field" }, el("label", { for: id("explanation"), text: "Explanation" }),
      el("textarea", { id: id("explanation"), name: "explanation", rows: 2, style: "min-height:3.5rem" })),
    el("div", { class: "actions" },
      el("button", { type: "submit", class: "primary", text: "Save" }),
      el("button", { type: "button", text: "Cancel", onclick: () => { form.remove(); node.querySelector(".edit").focus(); } })));
  form.prompt.value = question.prompt;
  form.answer.value = question.answer;
  form.explanation.value = question.explanation || "";
  if (form.accepted) form.accepted.value = (question.accepted_answers || []).join("\n");
  if (form.choices) form.choices.value = (question.choices || []).join("\n");
  const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = { prompt: form.prompt.value.trim(), answer: form.answer.value.trim(), explanation: form.explanation.value.trim() };
    if (form.accepted) changes.accepted_answers = lines(form.accepted.value);
    if (form.choices) changes.choices = lines(form.choices.value);
    const replacement = await update(question, changes, `Question ${question.id} saved.`);
    if (replacement) replacement.querySelector(".edit").focus();
  });
  return form;
}

function item(question) {
  const node = el("article", { class: `qitem${selected === question.id ? " selected" : ""}`, dataset: { question: question.id, status: question.status, kind: question.kind },
                               "aria-labelledby": `q-${question.id}-prompt` });
  const accepted = (question.accepted_answers || []).filter((a) => a !== question.answer);
  append(node, [
    el("div", { class: "qmeta" },
      el("span", { class: "badge", text: KIND_LABELS[question.kind] || question.kind }),
      el("span", { class: `badge ${question.status}`, text: question.status }),
      el("span", { text: `score ${Number(question.score).toFixed(2)}` }),
      question.is_edited ? el("span", { text: "edited" }) : null),
    el("p", { class: "prompt", id: `q-${question.id}-prompt`, text: question.prompt }),
    question.choices && question.choices.length
      ? el("ul", {}, question.choices.map((c) => el("li", { class: c === question.answer ? "correct" : null, text: c === question.answer ? `${c} (answer)` : c })))
      : null,
    el("p", {}, el("strong", { text: "Answer: " }), question.answer,
      accepted.length ? el("span", { class: "muted", text: ` (also: ${accepted.join("; ")})` }) : null),
    question.explanation ? el("p", { class: "muted", text: question.explanation }) : null,
    el("div", { class: "actions" },
      el("button", { type: "button", class: "show", text: "Show passage", "aria-label": `Show the passage of question ${question.id}`,
                     onclick: () => showPassage(question) }),
      el("button", { type: "button", class: "approve primary", disabled: question.status === "approved",
                     text: "Approve", "aria-label": `Approve question ${question.id}`,
                     onclick: async () => { const n = await update(question, { status: "approved" }, `Question ${question.id} approved.`); if (n) n.querySelector(".show").focus(); } }),
      el("button", { type: "button", class: "reject danger", disabled: question.status === "rejected",
                     text: "Reject", "aria-label": `Reject question ${question.id}`,
                     onclick: async () => { const n = await update(question, { status: "rejected" }, `Question ${question.id} rejected.`); if (n) n.querySelector(".show").focus(); } }),
      el("button", { type: "button", class: "edit", text: "Edit", "aria-label": `Edit question ${question.id}`,
                     onclick: () => {
                       if (node.querySelector("form.editor")) return;
                       const form = editor(question, node);
                       node.append(form);
                       form.prompt.focus();
                     } }))]);
  node.addEventListener("focusin", () => { if (selected !== question.id) showPassage(question); });
  return node;
}

function visible() {
  const min = parseFloat(filters.score.value) || 0;
  const shown = questions.filter((q) => q.score >= min);
  const order = filters.sort.value;
  if (order === "score") shown.sort((a, b) => b.score - a.score);
  if (order === "score-asc") shown.sort((a, b) => a.score - b.score);
  return shown;
}

function counts() {
  const by = (status) => questions.filter((q) => q.status === status).length;
  $("#counts").textContent = `${visible().length} shown · ${by("approved")} approved, ${by("draft")} draft, ${by("rejected")} rejected in this selection`;
}

function render() {
  clear(list);
  const shown = visible();
  if (!shown.length) list.append(el("p", { class: "muted", text: "No questions match these filters." }));
  for (const q of shown) list.append(item(q));
  list.removeAttribute("aria-busy");
  counts();
}

async function load() {
  const query = new URLSearchParams({ deck: deckId });
  if (filters.kind.value) query.set("kind", filters.kind.value);
  if (filters.status.value) query.set("status", filters.status.value);
  list.setAttribute("aria-busy", "true");
  try {
    questions = await apiAll(`questions?${query}&page_size=200`);
    render();
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
  }
}

filters.addEventListener("submit", (event) => event.preventDefault());
filters.kind.addEventListener("change", load);
filters.status.addEventListener("change", load);
filters.score.addEventListener("input", render);
filters.sort.addEventListener("change", render);

api(`decks/${deckId}`).then((deck) => {
  $("#deck-title").textContent = `Review questions: ${deck.title}`;
}).catch(() => {});
load();
