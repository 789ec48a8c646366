import { api, ApiError, uuid4 } from "./api.js";
import { $, append, clear, el, flash, formatInterval, formatDateTime, highlighted } from "./dom.js";
import { planSummary } from "./exams.js";

const RATINGS = [
  { value: 1, name: "Again" }, { value: 2, name: "Hard" }, { value: 3, name: "Good" }, { value: 4, name: "Easy" },
];
const PENDING_KEY = "study.pendingReviews";
const params = new URLSearchParams(location.search);
const box = $("#session");

const session = {
  cards: [], index: 0, state: "loading", shownAt: 0, startedAt: Date.now(),
  counts: { 1: 0, 2: 0, 3: 0, 4: 0 }, passages: new Map(),
};

// The outbox: every answer waits in localStorage until the server has
// acknowledged it (stored, or already stored). Network errors and 5xx keep it
// and retry with back-off; only an answer the server refuses as invalid is
// dropped. Sending is idempotent (each answer has its own id), so a retry that
// overlaps an earlier send is harmless.
const SYNC_BATCH = 500;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
const outbox = { timer: null, delay: RETRY_FIRST_MS, sending: null };

function pending() {
  try {
    const items = JSON.parse(localStorage.getItem(PENDING_KEY) || "[]");
    return Array.isArray(items) ? items : [];
  } catch { return []; }
}

function savePending(items) {
  try { localStorage.setItem(PENDING_KEY, JSON.stringify(items)); } catch { /* full or disabled */ }
  showPending(items.length);
}

function addPending(review) {
  const items = pending().filter((item) => item.id !== review.id);
  savePending([...items, review]);
}

function removePending(ids) {
  const done = new Set(ids);
  savePending(pending().filter((item) => !done.has(item.id)));
}

function showPending(count) {
  const line = $("#study-pending");
  if (!line) return;
  line.dataset.count = String(count);
  line.textContent = count
    ? `${count} answer${count === 1 ? "" : "s"} saved on this device, waiting to be sent.` : "";
}

// A failure worth retrying: no answer, a server error, a throttle or a timeout.
function retryable(error) {
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500
    || error.status === 408 || error.status === 429;
}

function scheduleRetry() {
  if (outbox.timer || !pending().length) return;
  const wait = outbox.delay * (0.75 + Math.random() * 0.5);
  outbox.delay = Math.min(outbox.delay * 2, RETRY_MAX_MS);
  outbox.timer = setTimeout(() => { outbox.timer = null; syncPending(); }, wait);
}

function sendNow() {
  clearTimeout(outbox.timer);
  outbox.timer = null;
  outbox.delay = RETRY_FIRST_MS;
  return syncPending();
}

// Send what waits, in batches; resolves when this round is over.
function syncPending() {
  if (!outbox.sending) outbox.sending = sendBatches().finally(() => { outbox.sending = null; });
  return outbox.sending;
}

async function sendBatches() {
  let items = pending();
  while (items.length) {
    const batch = items.slice(0, SYNC_BATCH);
    let result;
    try {
      result = await api("study/sync", { method: "POST", body: { reviews: batch } });
    } catch (error) {
      if (error.status === 401) return;  // the page is leaving for the login form
      if (!retryable(error)) {
        flash(`Your saved answers could not be sent: ${error.message}`, "error");
      }
      scheduleRetry();
      return;
    }
    // Applied and duplicates are acknowledged; rejected ones will never be taken.
    removePending(batch.map((item) => item.id));
    if (result.rejected && result.rejected.length) {
      const n = result.rejected.length;
      flash(`${n} saved answer${n === 1 ? " was" : "s were"} refused by the server: ${result.rejected[0].error}`, "error");
    }
    outbox.delay = RETRY_FIRST_MS;
    items = pending();
  }
}

window.addEventListener("online", () => { sendNow(); });

function card() {
  return session.cards[session.index];
}

function focusBox() {
  box.focus({ preventScroll: false });
}

function questionBlock(question) {
  const parts = [el("p", { class: "prompt", id: "card-prompt", text: question.prompt })];
  if (question.kind === "multiple_choice" && question.choices.length) {
    parts.push(el("ol", { class: "choices", type: "A" }, question.choices.map((c) => el("li", { text: c }))));
  }
  if (question.kind === "true_false") parts.push(el("p", { class: "muted", text: "True or false?" }));
  return parts;
}

function ratingButtons(current, enabled) {
  return el("div", { class: "ratings", role: "group", "aria-label": "How well did you remember?" },
    RATINGS.map((r) => el("button", {
      type: "button", class: `r${r.value}`, disabled: !enabled, "data-rating": r.value,
      "aria-keyshortcuts": String(r.value),
      "aria-label": `${r.name}, next in ${formatInterval(current.intervals[String(r.value)])} (key ${r.value})`,
      onclick: () => rate(r.value),
    }, r.name, el("small", { text: `${formatInterval(current.intervals[String(r.value)])} · ${r.value}` }))));
}

function progressText() {
  const total = session.cards.length;
  $("#study-count").textContent = total ? `Card ${Math.min(session.index + 1, total)} of ${total}` : "";
}

function showFront() {
  session.state = "front";
  session.shownAt = Date.now();
  const current = card();
  progressText();
  clear(box);
  box.dataset.state = "front";
  box.dataset.question = current.question.id;
  const reveal = el("button", { type: "button", class: "primary", id: "reveal", "aria-keyshortcuts": "Space",
                                onclick: showBack }, "Show answer ", el("kbd", { text: "Space" }));
  box.append(
    el("p", { class: "muted", text: { new: "New card", learning: "Learning card", review: "Review card" }[current.kind] || "Card" }),
    ...questionBlock(current.question),
    el("div", { class: "actions" }, reveal));
  box.removeAttribute("aria-busy");
  focusBox();
}

function showBack() {
  if (session.state !== "front") return;
  session.state = "back";
  const current = card();
  const q = current.question;
  clear(box);
  box.dataset.state = "back";
  const accepted = (q.accepted_answers || []).filter((a) => a !== q.answer);
  box.append(
    ...questionBlock(q),
    el("div", { class: "answer", id: "card-answer" },
      el("p", {}, el("strong", { text: "Answer: " }), q.answer),
      accepted.length ? el("p", { class: "muted", text: `Also accepted: ${accepted.join("; ")}` }) : null,
      q.explanation ? el("p", { class: "muted", text: q.explanation }) : null),
    ratingButtons(current, true));
  focusBox();
}

async function passage(id) {
  if (!session.passages.has(id)) session.passages.set(id, await api(`passages/${id}`));
  return session.passages.get(id);
}

async function rate(rating) {
  if (session.state !== "back") return;
  session.state = "saving";
  const current = card();
  const review = {
    id: uuid4(), question: current.question.id, rating,
    reviewed_at: new Date().toISOString(), duration_ms: Math.min(Date.now() - session.shownAt, 3600000),
  };
  session.counts[rating] += 1;
  addPending(review);
  let result = null;
  try {
    result = await api("study/reviews", { method: "POST", body: review });
    removePending([review.id]);
    if (pending().length) sendNow();  // the server answers again: send what waited
  } catch (error) {
    if (error.status === 401) return;
    if (!retryable(error)) {
      // Refused as invalid: it will never be taken, so it is not kept.
      removePending([review.id]);
      session.counts[rating] -= 1;
      session.state = "back";
      flash(error.message, "error");
      return;
    }
    flash(error.status === 0
      ? "You are offline: this answer is kept on this device and will be sent later."
      : "The server could not save this answer: it is kept on this device and will be sent again.",
    "info");
    scheduleRetry();
  }
  await showAfter(current, rating, result);
}

async function showAfter(current, rating, result) {
  session.state = "after";
  const q = current.question;
  clear(box);
  box.dataset.state = "after";
  const name = RATINGS[rating - 1].name;
  const next = el("button", { type: "button", class: "primary", id: "next", "aria-keyshortcuts": "Space",
                              onclick: nextCard }, "Continue ", el("kbd", { text: "Space" }));
  box.append(
    el("p", { class: "prompt", text: q.prompt }),
    el("p", {}, el("strong", { text: "Answer: " }), q.answer),
    el("p", { class: "muted", id: "rated", text: result && result.due
      ? `${name}: next review ${formatDateTime(result.due)}.` : `${name}.` }));
  const source = el("section", { class: "card", "aria-labelledby": "source-h" },
    el("h2", { id: "source-h", text: "From the passage" }), el("p", { class: "muted", text: "Loading…" }));
  box.append(source, el("div", { class: "actions" }, next));
  focusBox();
  try {
    const p = await passage(q.passage);
    if (box.dataset.state !== "after" || card() !== current) return;
    source.lastChild.remove();
    if (p.heading) source.append(el("h3", { text: p.heading }));
    source.append(highlighted(p.text, q.evidence.start, q.evidence.end),
      el("p", {}, el("a", { href: `/decks/${p.deck}/read#passage-${p.id}`, text: "Read this passage in its deck" })));
  } catch (error) {
    source.lastChild.textContent = "The passage could not be loaded.";
  }
}

function nextCard() {
  if (session.state !== "after") return;
  session.index += 1;
  if (session.index < session.cards.length) showFront();
  else showSummary();
}

function showSummary() {
  session.state = "done";
  sendNow();
  const studied = Object.values(session.counts).reduce((a, b) => a + b, 0);
  const minutes = Math.max(1, Math.round((Date.now() - session.startedAt) / 60000));
  $("#study-count").textContent = "";
  clear(box);
  box.dataset.state = "done";
  append(box, [
    el("h2", { text: studied ? "Session complete" : "Nothing to study right now" }),
    studied ? el("p", { id: "summary", text: `You studied ${studied} card${studied === 1 ? "" : "s"} in about ${minutes} minute${minutes === 1 ? "" : "s"}.` })
            : el("p", { text: "No cards are due and no new cards are left for today. Come back later." }),
    studied ? el("ul", { class: "list-plain" }, RATINGS.map((r) => el("li", { dataset: { rating: r.value } },
      `${r.name}: ${session.counts[r.value]}`))) : null,
    el("div", { class: "actions" },
      el("a", { class: "button primary", href: "/dashboard", text: "Back to the dashboard" }),
      el("a", { class: "button", href: location.pathname + location.search, text: "Study more" }))]);
  focusBox();
}

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  if (event.key === " " || event.key === "Spacebar") {
    // A focused button or link handles Space itself (the same action).
    if (target.closest && target.closest("button, a")) return;
    if (session.state === "front") { event.preventDefault(); showBack(); }
    else if (session.state === "after") { event.preventDefault(); nextCard(); }
    else if (session.state === "back") event.preventDefault();
    return;
  }
  if (["1", "2", "3", "4"].includes(event.key) && session.state === "back") {
    event.preventDefault();
    rate(Number(event.key));
  }
});

// The exam plans this session serves: all of them, or the deck's or assignment's.
async function showExamPlans() {
  const plans = (await api("study/exams")).filter((plan) =>
    (!params.get("deck") || String(plan.deck) === params.get("deck"))
    && (!params.get("assignment") || String(plan.assignment) === params.get("assignment")));
  const section = $("#exam-plan");
  clear($("#exam-plan-lines")).append(...plans.map((plan) =>
    el("li", { dataset: { plan: plan.id }, text: planSummary(plan) })));
  section.hidden = plans.length === 0;
}

async function start() {
  showPending(pending().length);
  await sendNow();
  const query = new URLSearchParams();
  for (const name of ["deck", "assignment", "limit"]) if (params.get(name)) query.set(name, params.get(name));
  try {
    if (params.get("deck")) {
      const deck = await api(`decks/${encodeURIComponent(params.get("deck"))}`);
      $("#study-title").textContent = `Study: ${deck.title}`;
    }
    const queue = await api(`study/queue?${query}`);
    session.cards = queue.cards;
    showExamPlans().catch((error) => { if (error.status !== 401) flash(error.message, "error"); });
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
    clear(box).append(el("p", { text: "Your cards could not be loaded." }));
    return;
  }
  if (session.cards.length) showFront();
  else showSummary();
}

start();
