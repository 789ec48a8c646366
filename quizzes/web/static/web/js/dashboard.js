import { api, apiAll } from "./api.js";
import { barChart, heatmap } from "./charts.js";
import { $, clear, el, flash, formatDateTime, formatPercent, STATUS_LABELS } from "./dom.js";
import { planTable } from "./exams.js";

function setStat(id, value) {
  $(`#${id}`).textContent = String(value);
}

function formatDuration(seconds) {
  if (!seconds) return "0m";
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return hours ? `${hours}h ${minutes}m` : `${minutes}m`;
}

function renderProgress(progress, queue) {
  const today = progress.forecast.length ? progress.forecast[0].date : new Date().toISOString().slice(0, 10);
  const todayCount = (progress.reviews_per_day.find((d) => d.date === today) || { count: 0 }).count;
  setStat("stat-due", queue.due_count);
  setStat("stat-new", queue.new_count);
  setStat("stat-today", todayCount);
  setStat("stat-streak", progress.streak_days);
  setStat("stat-retention", formatPercent(progress.true_retention["30"]));
  setStat("stat-time", formatDuration(progress.time_studied_seconds));
  $("#stats").removeAttribute("aria-busy");

  const heat = clear($("#heatmap"));
  heat.append(heatmap(progress.reviews_per_day, today));
  const total = progress.reviews_per_day.reduce((sum, d) => sum + d.count, 0);
  $("#heatmap-summary").textContent =
    `${total} reviews on ${progress.reviews_per_day.length} days in the last year; ${todayCount} today.`;

  const forecast = clear($("#forecast"));
  forecast.append(barChart(progress.forecast));
  const week = progress.forecast.slice(0, 7).reduce((sum, d) => sum + d.count, 0);
  $("#forecast-summary").textContent =
    `${progress.forecast.length ? progress.forecast[0].count : 0} due today, ${week} in the next 7 days.`;
}

function meter(value) {
  const percent = Math.round((value || 0) * 100);
  return el("div", { class: "meter", role: "img", "aria-label": `${percent}%` },
    el("span", { style: `width:${percent}%` }));
}

function renderDecks(decks, progress) {
  const mastery = new Map(progress.decks.map((d) => [d.deck, d]));
  const body = clear($("#decks tbody"));
  const shown = decks.filter((d) => d.approved_question_count > 0 || mastery.has(d.id));
  if (!shown.length) {
    body.append(el("tr", {}, el("td", { colspan: 4, class: "muted", text: "No decks with questions yet." })));
    return;
  }
  for (const deck of shown) {
    const m = mastery.get(deck.id);
    body.append(el("tr", { dataset: { deck: deck.id } },
      el("td", {}, el("strong", { text: deck.title }), el("br"),
        el("span", { class: "muted", text: `${deck.source_title} · ${deck.approved_question_count} questions` })),
      el("td", { "data-label": "Mastery" }, meter(m ? m.mastery : 0), el("span", { class: "muted", text: formatPercent(m ? m.mastery : 0) })),
      el("td", { "data-label": "Seen", text: formatPercent(m ? m.seen : 0) }),
      el("td", {}, el("div", { class: "actions" },
        el("a", { class: "button", href: `/study?deck=${deck.id}`, text: "Study",
                  "aria-label": `Study ${deck.title}` }),
        el("a", { class: "button", href: `/decks/${deck.id}/read`, text: "Read",
                  "aria-label": `Read the passages of ${deck.title}` }))),
    ));
  }
}

function renderAssignments(assignments) {
  const body = clear($("#assignments tbody"));
  $("#assignments-empty").hidden = assignments.length > 0;
  const isTeacher = document.body.dataset.role === "teacher";
  for (const a of assignments) {
    const title = a.title || (a.kind === "quiz" ? `Quiz #${a.id}` : `Study target #${a.id}`);
    let action;
    if (isTeacher) action = el("a", { class: "button", href: `/teach/assignments/${a.id}/results`, text: "Results" });
    else if (a.kind === "quiz") action = el("a", { class: "button", href: `/quiz/${a.id}`,
      text: a.status === "submitted" || a.status === "late" ? "See result" : "Take quiz", "aria-label": `Open ${title}` });
    else action = el("a", { class: "button", href: `/study?assignment=${a.id}`, text: "Study", "aria-label": `Study for ${title}` });
    const status = a.status ? el("span", { class: `badge ${a.status}`, text: STATUS_LABELS[a.status] || a.status }) : "—";
    const detail = a.kind === "study_target" && a.progress
      ? el("span", { class: "muted", text: ` mastery ${formatPercent(a.progress.mastery)} of ${formatPercent(a.target_mastery)}` })
      : a.time_limit_seconds ? el("span", { class: "muted", text: ` ${Math.round(a.time_limit_seconds / 60)} min` }) : null;
    body.append(el("tr", { dataset: { assignment: a.id } },
      el("td", {}, el("strong", { text: title }), detail),
      el("td", { "data-label": "Status" }, status),
      el("td", { "data-label": "Due", text: formatDateTime(a.due_at) }),
      el("td", {}, action)));
  }
}

function renderExams(plans, decks) {
  const box = clear($("#exam-plans"));
  if (!plans.length) box.append(el("p", { class: "muted", id: "exam-empty", text: "No exam coming up." }));
  else box.append(planTable(plans, removePlan));
  const select = $("#exam-deck");
  const chosen = select.value;
  clear(select).append(...decks.filter((d) => d.approved_question_count > 0)
    .map((d) => el("option", { value: d.id, text: d.title })));
  if (chosen) select.value = chosen;
}

async function removePlan(plan) {
  try {
    await api(`study/exams/${plan.id}`, { method: "DELETE" });
    flash(`The exam plan for ${plan.title} is removed.`, "success");
    await load();
  } catch (error) {
    flash(error.message, "error");
  }
}

$("#exam-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("#exam-error");
  message.textContent = "";
  const target = Number($("#exam-target").value) / 100;
  try {
    const plan = await api("study/exams", { method: "POST", body: {
      deck: Number($("#exam-deck").value), exam_date: $("#exam-date").value, target } });
    flash(`Planned: ${plan.title} on ${plan.exam_date}.`, "success");
    await load();
  } catch (error) {
    const fields = error.fields || {};
    message.textContent = [...(fields.exam_date || []), ...(fields.target || []),
      ...(fields.deck || [])].join(" ") || error.message;
  }
});

async function load() {
  try {
    const [progress, queue, decks, assignments] = await Promise.all([
      api("study/progress"), api("study/queue?limit=1"), apiAll("decks"), apiAll("assignments"),
    ]);
    renderProgress(progress, queue);
    renderDecks(decks, progress);
    renderAssignments(assignments);
    renderExams(progress.exams || [], decks);
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
  }
}

$("#join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("#join-code");
  const message = $("#join-error");
  message.textContent = "";
  try {
    const membership = await api("classrooms/join", { method: "POST", body: { code: input.value.trim().toUpperCase() } });
    input.value = "";
    flash(`You joined ${membership.classroom.name}.`, "success");
    await load();
  } catch (error) {
    message.textContent = (error.fields.code || [error.message]).join(" ");
  }
});

load();
