import { api, apiAll } from "./api.js";
import { $, clear, el, flash, formatDateTime, showFieldErrors } from "./dom.js";

const form = $("#assignment-form");
let classNames = new Map();

function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function kind() {
  return form.querySelector("input[name=kind]:checked").value;
}

async function loadList() {
  const list = clear($("#assignments"));
  const wanted = new URLSearchParams(location.search).get("classroom");
  const assignments = await apiAll(wanted ? `assignments?classroom=${wanted}` : "assignments");
  if (!assignments.length) list.append(el("li", { class: "muted", text: "Nothing assigned yet." }));
  for (const a of assignments) {
    const title = a.title || `${a.kind === "quiz" ? "Quiz" : "Study target"} #${a.id}`;
    list.append(el("li", { dataset: { assignment: a.id } },
      el("strong", { text: title }), " ",
      el("span", { class: "muted", text: `${classNames.get(a.classroom) || "class"} · due ${formatDateTime(a.due_at)}` +
        (a.time_limit_seconds ? ` · ${Math.round(a.time_limit_seconds / 60)} min` : "") }),
      el("div", { class: "actions" },
        el("a", { class: "button", href: `/teach/assignments/${a.id}/results`, text: "Results",
                  "aria-label": `Results of ${title}` }))));
  }
}

async function load() {
  try {
    const [classes, sets, decks] = await Promise.all([apiAll("classrooms"), apiAll("quiz-sets"), apiAll("decks")]);
    classNames = new Map(classes.map((c) => [c.id, c.name]));
    for (const c of classes) form.classroom.append(el("option", { value: c.id, text: `${c.name} (${c.join_code})` }));
    for (const s of sets) form.quiz_set.append(el("option", { value: s.id, text: `${s.title} (${s.questions.length} questions)` }));
    for (const d of decks) form.deck.append(el("option", { value: d.id, text: d.title }));
    if (!classes.length) form.classroom.append(el("option", { value: "", text: "Create a class first" }));
    if (!sets.length) form.quiz_set.append(el("option", { value: "", text: "Build a quiz set first" }));
    const wanted = new URLSearchParams(location.search).get("classroom");
    if (wanted) form.classroom.value = wanted;
    const now = new Date();
    now.setSeconds(0, 0);
    form.opens_at.value = localInput(now);
    form.due_at.value = localInput(new Date(now.getTime() + 7 * 86400000));
    await loadList();
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
  }
}

for (const radio of form.querySelectorAll("input[name=kind]")) {
  radio.addEventListener("change", () => {
    $("#quiz-fields").hidden = kind() !== "quiz";
    $("#study-fields").hidden = kind() !== "study";
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = {
    classroom: Number(form.classroom.value) || null,
    title: $("#a-title").value.trim(),
    opens_at: form.opens_at.value ? new Date(form.opens_at.value).toISOString() : null,
    due_at: form.due_at.value ? new Date(form.due_at.value).toISOString() : null,
    attempts_allowed: Number(form.attempts_allowed.value) || 1,
    feedback: form.feedback.value,
    shuffle_questions: form.shuffle_questions.checked,
    shuffle_options: form.shuffle_options.checked,
  };
  if (form.time_limit_minutes.value) body.time_limit_seconds = Math.round(Number(form.time_limit_minutes.value) * 60);
  if (kind() === "quiz") body.quiz_set = Number(form.quiz_set.value) || null;
  else {
    body.deck = Number(form.deck.value) || null;
    body.target_mastery = Number(form.target_percent.value) / 100;
  }
  try {
    const created = await api("assignments", { method: "POST", body });
    flash(`Assigned to ${classNames.get(created.classroom) || "the class"}, due ${formatDateTime(created.due_at)}.`, "success");
    await loadList();
  } catch (error) {
    showFieldErrors(form, error);
  }
});

load();
