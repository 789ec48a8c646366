import { api, apiAll } from "./api.js";
import { $, clear, el, flash, formatDateTime, showFieldErrors } from "./dom.js";

const form = $("#class-form");
const box = $("#classes");

async function roster(classroom, target, button) {
  const students = await apiAll(`classrooms/${classroom.id}/students`);
  clear(target);
  if (!students.length) {
    target.append(el("p", { class: "muted", text: "No students yet: give them the join code." }));
  } else {
    target.append(el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ["Student", "Joined", "Streak", "Reviews (year)", "Decks studied"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, students.map((entry) => {
        const p = entry.progress;
        const reviews = p ? p.reviews_per_day.reduce((sum, d) => sum + d.count, 0) : null;
        return el("tr", {},
          el("td", { text: entry.student.username }),
          el("td", { text: formatDateTime(entry.joined_at) }),
          el("td", { text: p ? `${p.streak_days} days` : "—" }),
          el("td", { text: reviews === null ? "—" : reviews }),
          el("td", { text: p ? p.decks.length : "—" }));
      })))));
  }
  button.setAttribute("aria-expanded", "true");
}

function classCard(classroom) {
  const target = el("div", { id: `roster-${classroom.id}` });
  const code = el("span", { class: "code", id: `code-${classroom.id}`, text: classroom.join_code });
  const show = el("button", { type: "button", "aria-expanded": "false", "aria-controls": `roster-${classroom.id}`,
    text: "Show students", onclick: () => roster(classroom, target, show).catch((e) => flash(e.message, "error")) });
  return el("section", { class: "card", dataset: { classroom: classroom.id }, "aria-labelledby": `class-${classroom.id}-h` },
    el("h2", { id: `class-${classroom.id}-h`, text: classroom.name }),
    el("p", {}, "Join code: ", code, " ",
      el("span", { class: "muted", text: `· ${classroom.student_count} student${classroom.student_count === 1 ? "" : "s"}` }),
      classroom.is_open ? null : el("span", { class: "badge", text: "closed to new members" })),
    el("div", { class: "actions" }, show,
      el("a", { class: "button", href: `/teach/assignments?classroom=${classroom.id}`, text: "Assignments" }),
      el("button", { type: "button", text: "New join code", "aria-label": `Make a new join code for ${classroom.name}`,
        onclick: async () => {
          try {
            const updated = await api(`classrooms/${classroom.id}/join-code`, { method: "POST" });
            code.textContent = updated.join_code;
            flash(`The new join code for ${classroom.name} is ${updated.join_code}; the old one no longer works.`, "success");
          } catch (error) { flash(error.message, "error"); }
        } })),
    target);
}

async function load() {
  try {
    const classes = await apiAll("classrooms");
    clear(box);
    if (!classes.length) box.append(el("p", { class: "muted", text: "No classes yet." }));
    for (const classroom of classes) box.append(classCard(classroom));
  } catch (error) {
    if (error.status !== 401) flash(error.message, "error");
  }
  box.removeAttribute("aria-busy");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const classroom = await api("classrooms", { method: "POST", body: { name: $("#class-name").value.trim() } });
    $("#class-name").value = "";
    flash(`Class “${classroom.name}” created. Its join code is ${classroom.join_code}.`, "success");
    await load();
  } catch (error) {
    showFieldErrors(form, error);
  }
});

load();
