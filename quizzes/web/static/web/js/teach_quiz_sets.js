import { api, apiAll } from "./api.js";
import { $, clear, el, flash, showFieldErrors } from "./dom.js";

const form = $("#set-form");

function mode() {
  return form.querySelector("input[name=mode]:checked").value;
}

function pickedCount() {
  const n = form.querySelectorAll("input[name=question]:checked").length;
  $("#picked-count").textContent = `(${n} chosen)`;
}

async function loadQuestions() {
  const box = clear($("#pick-list"));
  if (!form.deck.value) {
    box.append(el("p", { class: "muted", text: "Choose a deck to see its approved questions." }));
    return;
  }
  const questions = await apiAll(`questions?deck=${form.deck.value}&status=approved&page_size=200`);
  if (!questions.length) box.append(el("p", { class: "muted", text: "This deck has no approved questions yet." }));
  for (const q of questions) {
    const id = `pick-${q.id}`;
    box.append(el("div", { class: "field" },
      el("label", { class: "inline", for: id },
        el("input", { type: "checkbox", id, name: "question", value: q.id, onchange: pickedCount }),
        el("span", {}, el("span", { class: "badge", text: q.kind.replace("_", " ") }), " ", q.prompt))));
  }
  pickedCount();
}

async function loadSets() {
  const list = clear($("#sets"));
  const sets = await apiAll("quiz-sets");
  if (!sets.length) list.append(el("li", { class: "muted", text: "None yet." }));
  for (const set of sets) {
    list.append(el("li", { dataset: { quizSet: set.id } },
      el("strong", { text: set.title }), ` · ${set.questions.length} questions`,
      el("details", {}, el("summary", { text: "Questions" }),
        el("ol", {}, set.items.map((item) => el("li", { text: item.question.prompt }))))));
  }
}

async function load() {
  try {
    const decks = await apiAll("decks");
    for (const deck of decks) {
      form.deck.append(el("option", { value: deck.id, text: `${deck.title} (${deck.approved_question_count} approved)` }));
    }
    const wanted = new URLSearchParams(location.search).get("deck");
    if (wanted) { form.deck.value = wanted; await loadQuestions(); }
    await loadSets();
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
  }
}

form.deck.addEventListener("change", loadQuestions);
for (const radio of form.querySelectorAll("input[name=mode]")) {
  radio.addEventListener("change", () => {
    $("#draw-options").hidden = mode() !== "draw";
    $("#pick").hidden = mode() !== "hand";
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { title: $("#set-title").value.trim() };
  if (mode() === "hand") {
    body.questions = [...form.querySelectorAll("input[name=question]:checked")].map((i) => Number(i.value));
  } else {
    body.deck = Number(form.deck.value);
    body.count = Number(form.count.value);
    body.kinds = [...form.querySelectorAll("input[name=kinds]:checked")].map((i) => i.value);
  }
  try {
    const set = await api("quiz-sets", { method: "POST", body });
    flash(`Quiz set “${set.title}” created with ${set.questions.length} questions.`, "success");
    $("#set-title").value = "";
    for (const box of form.querySelectorAll("input[name=question]")) box.checked = false;
    pickedCount();
    await loadSets();
  } catch (error) {
    showFieldErrors(form, error);
  }
});

load();
