import { api } from "./api.js";
import { showFieldErrors } from "./dom.js";

const form = document.getElementById("register-form");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const values = {
    username: form.username.value.trim(),
    email: form.email.value.trim(),
    password: form.password.value,
    role: (form.querySelector("input[name=role]:checked") || form.role).value,
  };
  // Study days follow the learner's own time zone, as the browser reports it.
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (timeZone) values.time_zone = timeZone;
  try {
    await api("auth/register", { method: "POST", body: values, redirectOn401: false });
    const user = await api("auth/login", {
      method: "POST",
      body: { username: values.username, password: values.password },
      redirectOn401: false,
    });
    location.assign(user.role === "teacher" ? "/teach/" : "/dashboard");
  } catch (error) {
    showFieldErrors(form, error);
    button.disabled = false;
  }
});
