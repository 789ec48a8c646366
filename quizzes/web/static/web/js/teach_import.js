import { api, apiAll } from "./api.js";
import { $, clear, el, showFieldErrors } from "./dom.js";

const form = $("#import-form");
const bar = $("#gen-progress");
const statusLine = $("#gen-status");

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function setProgress(fraction, label) {
  const percent = Math.round(fraction * 100);
  bar.value = percent;
  bar.setAttribute("aria-valuetext", `${percent}%`);
  bar.dataset.percent = percent;
  if (label) $("#gen-label").textContent = label;
}

async function generate(decks) {
  const jobs = [];
  for (const deck of decks) {
    const started = await api(`decks/${deck.id}/generate`, { method: "POST" });
    jobs.push({ deck, job: started });
  }
  setProgress(0, `Generating questions for ${decks.length} deck${decks.length === 1 ? "" : "s"}…`);
  bar.dataset.state = "running";
  for (;;) {
    for (const entry of jobs) {
      if (entry.job.state !== "succeeded" && entry.job.state !== "failed") {
        entry.job = await api(`jobs/${entry.job.job || entry.job.id}`);
      }
    }
    const done = jobs.filter((j) => j.job.state === "succeeded" || j.job.state === "failed").length;
    const progress = jobs.reduce((sum, j) => sum + (j.job.state === "succeeded" ? 1 : (j.job.progress || 0)), 0) / jobs.length;
    setProgress(progress);
    const current = jobs.find((j) => j.job.state === "running") || jobs[jobs.length - 1];
    statusLine.textContent = current.job.message || `${done} of ${jobs.length} done`;
    if (done === jobs.length) break;
    await sleep(700);
  }
  const failed = jobs.filter((j) => j.job.state === "failed");
  setProgress(1, failed.length ? `Finished with ${failed.length} failure(s).` : "Generation finished.");
  bar.dataset.state = failed.length ? "failed" : "succeeded";
  statusLine.textContent = failed.length ? failed.map((j) => `${j.deck.title}: ${j.job.message}`).join(" ") : "All questions are ready for review.";
  return jobs;
}

function listDecks(decks) {
  const list = clear($("#gen-decks"));
  for (const deck of decks) {
    list.append(el("li", { dataset: { deck: deck.id } },
      el("strong", { text: deck.title }), " ",
      el("a", { class: "button", href: `/teach/decks/${deck.id}/review`, text: "Review questions",
                "aria-label": `Review the questions of ${deck.title}` })));
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("#import-button");
  button.disabled = true;
  for (const node of form.querySelectorAll(".error")) node.textContent = "";
  const file = form.file.files[0];
  try {
    let source;
    if (file) {
      const data = new FormData();
      data.append("title", $("#title").value.trim());
      data.append("author", form.author.value.trim());
      data.append("file", file);
      source = await api("sources", { method: "POST", form: data });
    } else {
      source = await api("sources", { method: "POST", body: {
        title: $("#title").value.trim(), author: form.author.value.trim(), text: form.text.value,
      } });
    }
    statusLine.textContent = `Imported “${source.title}”: ${source.passage_count} passages in ${source.deck_count} deck(s).`;
    const decks = await apiAll(`decks?source=${source.id}`);
    listDecks(decks);
    await generate(decks);
    listDecks(await apiAll(`decks?source=${source.id}`));
  } catch (error) {
    showFieldErrors(form, error);
    bar.dataset.state = "failed";
  } finally {
    button.disabled = false;
  }
});
