// An attempt's outcome: the score and, when the assignment allows, feedback per question.
import { el, formatDateTime } from "./dom.js";

const FEEDBACK_RULES = {
  immediately: "Feedback is shown as soon as you submit.",
  after_due: "Feedback on each question will be shown after the due time.",
  never: "This assignment does not show feedback on each question.",
};

export function resultView(detail, feedbackRule) {
  const box = el("section", { class: "card", id: "result", "aria-labelledby": "result-h" });
  const scored = detail.score !== null && detail.score !== undefined;
  box.append(
    el("h2", { id: "result-h", text: detail.state === "in_progress" ? "Attempt in progress" : "Result" }),
    el("p", { class: "muted", text: `Attempt ${detail.number} by ${detail.student.username} · started ${formatDateTime(detail.started_at)}` +
      (detail.submitted_at ? ` · submitted ${formatDateTime(detail.submitted_at)}` : "") +
      (detail.state === "timed_out" ? " · closed when time ran out" : "") }));
  if (scored) {
    box.append(el("p", { class: "prompt" }, "Score: ",
      el("strong", { id: "score", text: `${detail.score} / ${detail.max_score}` })));
  }
  if (detail.feedback) {
    const byId = new Map(detail.questions.map((q) => [q.id, q]));
    const list = el("ol", { class: "list-plain", id: "feedback" });
    for (const item of detail.feedback) {
      const question = byId.get(item.question);
      list.append(el("li", { dataset: { question: item.question, correct: item.is_correct } },
        el("p", {}, el("strong", { text: `${question ? question.position : ""}. ` }), question ? question.prompt : ""),
        el("p", { class: item.is_correct ? "correct" : "incorrect" },
          item.is_correct ? "✓ Correct: " : "✗ Not correct: ", item.answer || "(no answer)"),
        item.is_correct ? null : el("p", {}, "Answer: ", el("strong", { text: item.correct_answer })),
        item.explanation ? el("p", { class: "muted", text: item.explanation }) : null));
    }
    box.append(list);
  } else if (detail.state !== "in_progress") {
    box.append(el("p", { class: "muted", id: "feedback-note", text: FEEDBACK_RULES[feedbackRule] || "Feedback is not available yet." }));
  }
  return box;
}
