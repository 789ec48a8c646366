// Exam plans: what each plans, shown on the dashboard and the study page.
import { el, formatPercent } from "./dom.js";

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function planTitle(plan) {
  return plan.kind === "assignment" ? `${plan.title} (assignment)` : plan.title;
}

// One sentence: "Civil war: exam on 2026-03-11 (in 9 days) ..."
export function planSummary(plan) {
  return `${planTitle(plan)}: exam on ${plan.exam_date} (in ${plural(plan.days_left, "day")}), `
    + `target ${formatPercent(plan.target)}. Plan: ${plural(plan.new_per_day, "new card")} today, `
    + `${plan.reviews_per_day} reviews a day; predicted recall on the day `
    + `${formatPercent(plan.predicted_recall)}, ${plural(plan.cards_at_risk, "card")} at risk.`;
}

// A table of plans; `onDelete(plan)` gives the learner's own plans a delete button.
export function planTable(plans, onDelete) {
  const head = ["Exam", "Date", "Target", "New cards today", "Reviews a day",
    "Predicted recall on the day", "Cards at risk", ""];
  return el("div", { class: "table-wrap" }, el("table", { class: "stack", id: "exam-table" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, plans.map((plan) => el("tr", { dataset: { plan: plan.id } },
      el("td", {}, el("strong", { text: planTitle(plan) })),
      el("td", { "data-label": "Date", text: `${plan.exam_date} (${plural(plan.days_left, "day")})` }),
      el("td", { "data-label": "Target", text: formatPercent(plan.target) }),
      el("td", { "data-label": "New cards today", class: "exam-new", text: plan.new_per_day }),
      el("td", { "data-label": "Reviews a day", class: "exam-reviews", text: plan.reviews_per_day }),
      el("td", { "data-label": "Predicted recall", class: "exam-recall",
                 text: formatPercent(plan.predicted_recall) }),
      el("td", { "data-label": "Cards at risk", class: "exam-risk", text: plan.cards_at_risk }),
      el("td", {}, plan.kind === "own" && onDelete
        ? el("button", { type: "button", text: "Remove", "aria-label": `Remove the exam plan for ${plan.title}`,
                         onclick: () => onDelete(plan) })
        : null),
    )))));
}
