import { api } from "./api.js";
import { $, clear, dataInt, el, flash } from "./dom.js";
import { resultView } from "./quizview.js";

async function load() {
  const box = $("#attempt");
  try {
    const detail = await api(`attempts/${dataInt("attemptId")}`);
    clear(box).append(resultView(detail, null));
    if (detail.state === "in_progress" && document.body.dataset.role !== "teacher") {
      box.append(el("p", {}, el("a", { class: "button primary", href: `/quiz/${detail.assignment}`, text: "Carry on with this quiz" })));
    }
  } catch (error) {
    clear(box).append(el("p", { text: "This attempt cannot be shown." }));
    if (error.status !== 401 && error.status !== 404) flash(error.message, "error");
  }
  box.removeAttribute("aria-busy");
}

load();
