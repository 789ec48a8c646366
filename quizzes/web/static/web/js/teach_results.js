import { api, apiAll } from "./api.js";
import { $, clear, dataInt, el, flash, formatDateTime, formatPercent, STATUS_LABELS } from "./dom.js";

const assignmentId = dataInt("assignmentId");

function minutes(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const m = Math.floor(seconds / 60);
  return `${m}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}

function number(value) {
  return value === null || value === undefined ? "—" : Number(value).toFixed(2);
}

async function load() {
  try {
    const [results, attempts] = await Promise.all([
      api(`assignments/${assignmentId}/results`), apiAll(`assignments/${assignmentId}/attempts`),
    ]);
    const a = results.assignment;
    const title = a.title || `Assignment #${a.id}`;
    $("#results-title").textContent = `Results: ${title}`;
    document.title = `Results: ${title} · Study service`;
    $("#results-meta").textContent = `Due ${formatDateTime(a.due_at)}` +
      (a.time_limit_seconds ? ` · time limit ${Math.round(a.time_limit_seconds / 60)} min` : "") +
      ` · ${a.attempts_allowed} attempt(s) allowed`;
    const latest = new Map();
    for (const attempt of attempts) {
      const seen = latest.get(attempt.student.id);
      if (!seen || attempt.number > seen.number) latest.set(attempt.student.id, attempt);
    }
    const body = clear($("#students tbody"));
    if (!results.students.length) body.append(el("tr", {}, el("td", { colspan: 8, class: "muted", text: "No students in this class yet." })));
    renderExam(results.exam);
    for (const s of results.students) {
      const attempt = latest.get(s.student.id);
      body.append(el("tr", { dataset: { student: s.student.username } },
        el("td", {}, attempt ? el("a", { href: `/attempts/${attempt.id}`, text: s.student.username,
                                         "aria-label": `${s.student.username}: see the latest attempt` }) : s.student.username),
        el("td", { "data-label": "Status" }, el("span", { class: `badge ${s.status}`, text: STATUS_LABELS[s.status] || s.status })),
        el("td", { "data-label": "Score", class: "score", text: s.score === null ? "—" : `${s.score} / ${s.max_score}` }),
        el("td", { "data-label": "Percent", text: s.percent === null ? "—" : `${s.percent}%` }),
        el("td", { "data-label": "Attempts", text: `${s.attempts}` }),
        el("td", { "data-label": "Time taken", text: minutes(s.time_taken_seconds) }),
        el("td", { "data-label": "Submitted", text: formatDateTime(s.last_submitted_at) }),
        el("td", { "data-label": "Predicted recall on the due date", class: "exam-recall" },
          formatPercent(s.predicted_recall),
          s.at_risk ? " " : null, s.at_risk ? el("span", { class: "badge late", text: "at risk" }) : null)));
    }
    const qbody = clear($("#question-stats tbody"));
    for (const q of results.questions) {
      const options = q.option_counts ? Object.entries(q.option_counts).map(([k, v]) => `${k}: ${v}`).join("; ") : "";
      qbody.append(el("tr", { dataset: { question: q.question } },
        el("td", { text: q.position }),
        el("td", {}, q.prompt, options ? el("div", { class: "muted", text: options }) : null),
        el("td", { "data-label": "Answered", text: q.answered }),
        el("td", { "data-label": "Correct", text: q.correct }),
        el("td", { "data-label": "Facility", text: number(q.facility) }),
        el("td", { "data-label": "Discrimination", text: number(q.discrimination) })));
    }
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
  }
}

function renderExam(exam) {
  $("#exam-remove").hidden = !exam;
  $("#exam-save").textContent = exam ? "Change the target" : "Plan for the due date";
  if (!exam) return;
  $("#exam-target").value = String(Math.round(exam.target * 100));
  $("#exam-summary").textContent = `Exam plan on the due date, target ${formatPercent(exam.target)}: `
    + `the class's predicted recall on the day is ${formatPercent(exam.predicted_recall)}; `
    + `${exam.at_risk} student${exam.at_risk === 1 ? "" : "s"} at risk (below the target).`;
}

$("#exam-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("#exam-error").textContent = "";
  try {
    await api(`assignments/${assignmentId}/exam-plan`, { method: "PUT",
      body: { target: Number($("#exam-target").value) / 100 } });
    await load();
  } catch (error) {
    const fields = error.fields || {};
    $("#exam-error").textContent = [...(fields.target || []), ...(fields.due_at || [])].join(" ")
      || error.message;
  }
});

$("#exam-remove").addEventListener("click", async () => {
  try {
    await api(`assignments/${assignmentId}/exam-plan`, { method: "DELETE" });
    flash("The exam plan is removed.", "success");
    window.location.reload();
  } catch (error) {
    flash(error.message, "error");
  }
});

load();
