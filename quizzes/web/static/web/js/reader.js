import { api, apiAll } from "./api.js";
import { $, clear, dataInt, el, flash } from "./dom.js";

const deckId = dataInt("deckId");

async function load() {
  const list = $("#passages");
  try {
    const [deck, passages] = await Promise.all([api(`decks/${deckId}`), apiAll(`passages?deck=${deckId}`)]);
    $("#deck-title").textContent = deck.title;
    document.title = `${deck.title} · Study service`;
    $("#deck-meta").textContent = `${deck.source_title} · ${deck.passage_count} passages · ${deck.approved_question_count} questions`;
    clear(list);
    passages.forEach((p, i) => {
      list.append(el("article", { class: "card passage", id: `passage-${p.id}`, tabindex: "-1",
                                  "aria-labelledby": `passage-${p.id}-h` },
        el("h2", { id: `passage-${p.id}-h`, text: p.heading || `Passage ${i + 1}` }),
        el("p", { class: "passage-text", text: p.text }),
        el("p", { class: "muted", text: `${p.word_count} words` })));
    });
    if (!passages.length) list.append(el("p", { text: "This deck has no passages yet." }));
    list.removeAttribute("aria-busy");
    if (location.hash) {
      const target = document.getElementById(location.hash.slice(1));
      if (target) { target.scrollIntoView(); target.focus(); target.classList.add("selected"); }
    }
  } catch (error) {
    clear(list).append(el("p", { text: error.status === 404 ? "There is no such deck, or it is not yours to read." : "The passages could not be loaded." }));
    if (error.status !== 401 && error.status !== 404) flash(error.message, "error");
  }
}

load();
