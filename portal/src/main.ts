import "./style.css";
import { ApiError, captureToken, get, token, type Caller } from "./api";
import { language, setLanguage, t, translatePage } from "./i18n";
import { renderOverview } from "./overview";

const refreshMs = 5000;
const app = document.getElementById("app")!;
const status = document.getElementById("status")!;
let caller: Caller | undefined;

async function render(): Promise<void> {
  translatePage();
  document.getElementById("lang")!.textContent = t("lang");
  if (!token()) {
    app.innerHTML = `<p class="notice" data-testid="signin">${t("signin.needed")}</p>`;
    return;
  }

  try {
    caller ??= await get<Caller>("/v1/auth/me");
    // One page so far; more routes join here.
    await renderOverview(app, caller);
    status.textContent = `${t("updated")} ${new Date().toLocaleTimeString(language() === "en" ? "en-GB" : "zh-CN")}`;
    status.dataset.updated = String(Date.now());
  } catch (error) {
    const message = error instanceof ApiError ? `${error.status} ${error.message}` : String(error);
    app.innerHTML = `<p class="error" data-testid="error">${t("error.load")}${message}</p>`;
  }
}

document.getElementById("lang")!.addEventListener("click", () => {
  setLanguage(language() === "en" ? "zh" : "en");
  void render();
});
window.addEventListener("hashchange", () => void render());
captureToken();
setLanguage(language());
void render();
// Live: the numbers follow what members do, without reloading.
setInterval(() => void render(), refreshMs);
