import { api } from "./api.js";
import { showFieldErrors } from "./dom.js";

const form = document.getElementById("login-form");

function safeNext(role) {
  // The server checked ?next= (Django's url_has_allowed_host_and_scheme) and put
  // it here only if it is a path on this site; check again that the browser will
  // read it as one (no control character, no "//host" or "/\\host").
  const next = form.dataset.next || "";
  const local = next.startsWith("/") && !next.startsWith("//") && !next.includes("\\")
    && !/[\u0000-\u001f\u007f-\u009f]/.test(next);
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
