import { api } from "./api.js";
import { flash } from "./dom.js";

const logout = document.getElementById("logout");
if (logout) {
  logout.addEventListener("click", async () => {
    try {
      await api("auth/logout", { method: "POST", body: {}, redirectOn401: false });
    } catch (error) {
      if (error.status !== 401) {
        flash(error.message, "error");
        return;
      }
    }
    location.assign("/login?reason=logged_out");
  });
}
