import { api, apiAll } from "./api.js";
import { $, clear, dataInt, el, flash, formatDateTime, STATUS_LABELS } from "./dom.js";
import { resultView } from "./quizview.js";

const assignmentId = dataInt("assignmentId");
const box = $("#quiz");
let assignment = null;
let attempt = null;
let timerHandle = null;
const saving = new Map(); // question id -> promise of the latest save
const debounce = new Map();

function title() {
  return assignment.title || `Quiz #${assignment.id}`;
}

async function intro(attempts) {
  stopTimer();
  clear(box);
  const used = attempts.length;
  const left = assignment.attempts_allowed - used;
  const now = Date.now();
  const open = new Date(assignment.opens_at).getTime() <= now && new Date(assignment.due_at).getTime() > now;
  const facts = el("ul", { class: "list-plain" },
    el("li", { text: `Status: ${STATUS_LABELS[assignment.status] || assignment.status}` }),
    el("li", { text: `Opens ${formatDateTime(assignment.opens_at)}; due ${formatDateTime(assignment.due_at)}` }),
    el("li", { text: assignment.time_limit_seconds
      ? `Time limit: ${Math.round(assignment.time_limit_seconds / 60)} minutes, counted from when you start`
      : "No time limit" }),
    el("li", { text: `Attempts: ${used} of ${assignment.attempts_allowed} used` }));
  const card = el("section", { class: "card" }, facts);
  if (left > 0 && open) {
    card.append(el("div", { class: "actions" },
      el("button", { type: "button", class: "primary", id: "start", onclick: start },
        used ? "Start another attempt" : "Start the quiz")));
  } else if (!open) {
    card.append(el("p", { class: "notice", text: new Date(assignment.opens_at).getTime() > now
      ? "This quiz is not open yet." : "This quiz is closed." }));
  }
  box.append(card);
  const graded = attempts.filter((a) => a.state !== "in_progress");
  if (graded.length) {
    const latest = await api(`attempts/${graded[graded.length - 1].id}`);
    box.append(resultView(latest, assignment.feedback));
  }
}

async function start() {
  try {
    attempt = await api(`assignments/${assignmentId}/attempts`, { method: "POST" });
    render();
  } catch (error) {
    flash(error.message, "error");
  }
}

function stopTimer() {
  if (timerHandle) clearInterval(timerHandle);
  timerHandle = null;
}

function startTimer(secondsLeft) {
  stopTimer();
  const timer = $("#timer");
  if (secondsLeft === null || secondsLeft === undefined) {
    timer.textContent = "No time limit";
    return;
  }
  const end = Date.now() + secondsLeft * 1000;
  let warned = false;
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    timer.textContent = `${minutes}:${seconds}`;
    timer.classList.toggle("low", left <= 60);
    if (left <= 60 && !warned) { warned = true; flash("One minute left.", "info"); }
    if (left === 0) { stopTimer(); submit(true); }
  };
  tick();
  timerHandle = setInterval(tick, 1000);
}

function status(questionId, text) {
  const node = document.getElementById(`saved-${questionId}`);
  if (node) node.textContent = text;
}

function save(questionId, answer) {
  status(questionId, "Saving…");
  const promise = api(`attempts/${attempt.id}/responses/${questionId}`, { method: "PUT", body: { answer } })
    .then((saved) => {
      status(questionId, `Saved ${new Date(saved.saved_at).toLocaleTimeString()}`);
      const response = attempt.responses.find((r) => r.question === questionId);
      if (response) response.answer = saved.answer; else attempt.responses.push(saved);
    })
    .catch((error) => {
      if (error.status === 0) {
        // Offline for a moment: keep trying until the latest answer is saved.
        status(questionId, "Not saved yet (no connection); trying again…");
        setTimeout(() => { if (saving.get(questionId) === promise) save(questionId, answer); }, 5000);
        return;
      }
      status(questionId, `Not saved: ${error.message}`);
      if (error.status === 409) refresh();
    });
  saving.set(questionId, promise);
  return promise;
}

function saveSoon(questionId, answer) {
  clearTimeout(debounce.get(questionId));
  debounce.set(questionId, setTimeout(() => { debounce.delete(questionId); save(questionId, answer); }, 500));
  status(questionId, "Typing…");
}

function tfValue(choice) {
  const folded = choice.trim().toLowerCase();
  return folded === "true" || folded === "false" ? folded : choice;
}

function questionField(question, saved) {
  const legendId = `q-${question.id}-prompt`;
  const parts = [];
  if (question.kind === "multiple_choice" || question.kind === "true_false") {
    const options = question.choices.length ? question.choices : ["True", "False"];
    const fieldset = el("fieldset", { "aria-describedby": `saved-${question.id}` },
      el("legend", { id: legendId }, `${question.position}. `, question.prompt));
    options.forEach((option, index) => {
      const value = question.kind === "true_false" ? tfValue(option) : option;
      const checked = saved !== undefined && saved.trim().toLowerCase() === value.trim().toLowerCase();
      const id = `q-${question.id}-o-${index}`;
      fieldset.append(el("div", {},
        el("label", { class: "inline", for: id },
          el("input", { type: "radio", id, name: `q-${question.id}`, value, checked,
                        onchange: () => save(question.id, value) }), option)));
    });
    parts.push(fieldset);
  } else {
    const id = `q-${question.id}-answer`;
    parts.push(el("label", { for: id, id: legendId, class: "prompt-label" },
      el("strong", { text: `${question.position}. ` }), question.prompt));
    const input = el("input", { id, name: `q-${question.id}`, autocomplete: "off", spellcheck: "false",
                                "aria-describedby": `saved-${question.id}` });
    input.value = saved || "";
    input.addEventListener("input", () => saveSoon(question.id, input.value));
    input.addEventListener("change", () => { clearTimeout(debounce.get(question.id)); debounce.delete(question.id); save(question.id, input.value); });
    parts.push(el("div", { class: "field" }, input));
  }
  parts.push(el("p", { class: "saved", id: `saved-${question.id}`, "aria-live": "polite",
                       text: saved ? "Saved" : "" }));
  return el("div", { class: "question", dataset: { question: question.id } }, parts);
}

function render() {
  clear(box);
  if (attempt.state !== "in_progress") {
    stopTimer();
    box.append(resultView(attempt, assignment.feedback),
      el("p", {}, el("a", { class: "button", href: "/dashboard", text: "Back to the dashboard" })));
    return;
  }
  const answers = new Map(attempt.responses.map((r) => [r.question, r.answer]));
  const form = el("form", { id: "quiz-form", novalidate: true, "aria-labelledby": "quiz-title" });
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(false); });
  form.append(el("div", { class: "actions", style: "justify-content:space-between" },
    el("span", {}, "Time left: ", el("span", { class: "timer", id: "timer", role: "timer", "aria-live": "off" })),
    el("span", { class: "muted", text: "Answers are saved as you go; you can reload and carry on." })));
  for (const question of attempt.questions) form.append(questionField(question, answers.get(question.id)));
  form.append(el("div", { class: "actions" },
    el("button", { type: "submit", class: "primary", id: "submit" }, "Submit answers")));
  box.append(el("section", { class: "card" }, form));
  startTimer(attempt.seconds_left);
}

async function flushSaves() {
  for (const [questionId, handle] of [...debounce.entries()]) {
    clearTimeout(handle);
    debounce.delete(questionId);
    const input = document.getElementById(`q-${questionId}-answer`);
    if (input) save(questionId, input.value);
  }
  await Promise.all([...saving.values()]);
}

async function submit(timedOut) {
  const button = $("#submit");
  if (button) button.disabled = true;
  await flushSaves();
  try {
    attempt = await api(`attempts/${attempt.id}/submit`, { method: "POST" });
    flash(timedOut ? "Time is up: your answers were submitted." : "Your answers were submitted.", "success");
    assignment = await api(`assignments/${assignmentId}`);
    render();
    $("#result-h").setAttribute("tabindex", "-1");
    $("#result-h").focus();
  } catch (error) {
    if (button) button.disabled = false;
    if (error.status === 409) return refresh();
    flash(error.message, "error");
  }
}

async function refresh() {
  attempt = await api(`attempts/${attempt.id}`);
  render();
}

async function load() {
  try {
    assignment = await api(`assignments/${assignmentId}`);
    $("#quiz-title").textContent = title();
    document.title = `${title()} · Study service`;
    if (assignment.kind === "study_target") {
      clear(box).append(el("p", {}, "This assignment is a study target: ",
        el("a", { href: `/study?assignment=${assignmentId}`, text: "study its cards" }), "."));
      return;
    }
    if (assignment.status === undefined) {
      // The class's teacher: a preview of the assignment, with its results.
      clear(box).append(el("p", {}, el("a", { class: "button", href: `/teach/assignments/${assignmentId}/results`, text: "See the results" })));
      return;
    }
    const attempts = await apiAll(`assignments/${assignmentId}/attempts`);
    const open = attempts.find((a) => a.state === "in_progress");
    if (open) {
      attempt = await api(`attempts/${open.id}`);
      if (attempt.state === "in_progress") {
        render();
        return;
      }
      return intro(await apiAll(`assignments/${assignmentId}/attempts`));
    }
    await intro(attempts);
  } catch (error) {
    clear(box).append(el("p", { text: "This quiz cannot be shown." }));
    if (error.status !== 401) flash(error.message, "error");
  } finally {
    box.removeAttribute("aria-busy");
  }
}

// Leaving with an answer still being typed: send it at once.
window.addEventListener("pagehide", () => { if (debounce.size) flushSaves(); });

load();
