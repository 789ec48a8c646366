import { apiAll } from "./api.js";
import { $, clear, el, flash } from "./dom.js";

async function load() {
  const body = $("#decks tbody");
  try {
    const decks = await apiAll("decks");
    clear(body);
    if (!decks.length) body.append(el("tr", {}, el("td", { colspan: 4, class: "muted", text: "No decks yet: import a text." })));
    for (const deck of decks) {
      body.append(el("tr", { dataset: { deck: deck.id } },
        el("td", {}, el("strong", { text: deck.title }), el("br"), el("span", { class: "muted", text: deck.source_title })),
        el("td", { "data-label": "Passages", text: deck.passage_count }),
        el("td", { "data-label": "Approved questions", text: deck.approved_question_count }),
        el("td", {}, el("div", { class: "actions" },
          el("a", { class: "button", href: `/teach/decks/${deck.id}/review`, text: "Review questions",
                    "aria-label": `Review the questions of ${deck.title}` }),
          el("a", { class: "button", href: `/decks/${deck.id}/read`, text: "Read",
                    "aria-label": `Read ${deck.title}` })))));
    }
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
  }
}

load();
