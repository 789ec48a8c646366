import { api } from "./api.js";
import { showFieldErrors } from "./dom.js";

const form = document.getElementById("login-form");

function safeNext(role) {
  const next = new URLSearchParams(location.search).get("next") || "";
  // Only paths on this site: never "//host", "/\\host" (read as "//host") or a full URL.
  const local = next.startsWith("/") && !next.startsWith("//") && !next.includes("\\");
  if (local && !next.startsWith("/login")) return next;
  return role === "teacher" ? "/teach/" : "/dashboard";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    if (!document.cookie.includes("csrftoken")) await api("auth/csrf", { redirectOn401: false });
    const user = await api("auth/login", {
      method: "POST",
      body: { username: form.username.value.trim(), password: form.password.value },
      redirectOn401: false,
    });
    location.assign(safeNext(user.role));
  } catch (error) {
    showFieldErrors(form, error);
    button.disabled = false;
    form.password.focus();
  }
});
