import "./style.css";
import { ApiError, captureToken, get, token, type Caller } from "./api";
import { language, setLanguage, t, translatePage } from "./i18n";
import { renderCommunity } from "./community";
import { renderDownloads } from "./downloads";
import { renderMember } from "./member";
import { renderOverview } from "./overview";
import { renderVolunteer } from "./volunteer";

const refreshMs = 5000;
const app = document.getElementById("app")!;
const status = document.getElementById("status")!;
let caller: Caller | undefined;
// Renders overlap (the 5 s refresh, a click, a new address): only the latest may write the page.
let generation = 0;

async function render(): Promise<void> {
  const mine = ++generation;
  const stale = () => mine !== generation;
  translatePage();
  document.getElementById("lang")!.textContent = t("lang");
  if (!token()) {
    app.innerHTML = `<p class="notice" data-testid="signin">${t("signin.needed")}</p>`;
    return;
  }

  try {
    caller ??= await get<Caller>("/v1/auth/me");
    renderNav(caller);
    const [, page, id] = location.hash.split("/");
    if (page === "community" && id) {
      await renderCommunity(app, decodeURIComponent(id), () => void render(), stale);
    } else if (page === "member") {
      await renderMember(app, id ? decodeURIComponent(id) : undefined, stale);
    } else if (page === "downloads") {
      renderDownloads(app, caller.subdistrictId || "xietang");
    } else if (page === "volunteer" && id) {
      await renderVolunteer(app, decodeURIComponent(id), () => void render(), stale);
    } else if (caller.roles.includes("community_admin") && caller.communityId && !caller.roles.includes("subdistrict_admin")) {
      location.hash = `#/community/${caller.communityId}`;
      return;
    } else if (caller.roles.includes("member") && caller.memberId && caller.roles.length === 1) {
      location.hash = `#/member/${caller.memberId}`;
      return;
    } else if (caller.roles.includes("analyst") && !caller.roles.includes("subdistrict_admin") && page !== "overview") {
      location.hash = "#/downloads";
      return;
    } else if (caller.roles.includes("volunteer") && caller.volunteerId && !caller.roles.includes("subdistrict_admin")) {
      location.hash = `#/volunteer/${caller.volunteerId}`;
      return;
    } else {
      await renderOverview(app, caller, stale);
    }
    if (stale()) {
      return;
    }

    status.textContent = `${t("updated")} ${new Date().toLocaleTimeString(language() === "en" ? "en-GB" : "zh-CN")}`;
    status.dataset.updated = String(Date.now());
  } catch (error) {
    if (stale()) {
      return;
    }

    const message = error instanceof ApiError ? `${error.status} ${error.message}` : String(error);
    app.innerHTML = `<p class="error" data-testid="error">${t("error.load")}${message}</p>`;
  }
}

/** Links for what this caller may see. */
function renderNav(who: Caller): void {
  const links: string[] = [];
  if (who.roles.includes("subdistrict_admin") || who.roles.includes("analyst")) {
    links.push(`<a href="#/overview">${t("nav.overview")}</a>`);
  }
  if (who.communityId && who.roles.includes("community_admin")) {
    links.push(`<a href="#/community/${who.communityId}">${t("nav.community")}</a>`);
  }
  if (who.volunteerId) {
    links.push(`<a href="#/volunteer/${who.volunteerId}">${t("nav.volunteer")}</a>`);
  }
  if (who.roles.some((r) => r === "member" || r === "community_admin" || r === "subdistrict_admin")) {
    links.push(`<a href="#/member/${who.memberId ?? ""}">${t("nav.member")}</a>`);
  }
  if (who.roles.some((r) => r === "analyst" || r === "subdistrict_admin")) {
    links.push(`<a href="#/downloads">${t("nav.downloads")}</a>`);
  }
  document.querySelector("nav")!.innerHTML = links.join(" ");
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
// (Not while someone is choosing in a form: that would take the choice away.)
setInterval(() => {
  if (!(document.activeElement instanceof HTMLSelectElement || document.activeElement instanceof HTMLInputElement) && !location.hash.startsWith("#/downloads")) {
    void render();
  }
}, refreshMs);
