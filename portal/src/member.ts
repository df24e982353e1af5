import { get } from "./api";
import { escape } from "./html";
import { t } from "./i18n";

interface Progress {
  memberId: string; name: string; communityId: string; gridId: string; points?: number; progress?: number;
  checkIns?: number; lessons?: { lessonId: string; channel?: string; occurredAt?: string }[];
}
interface Ledger { entries?: { points?: number; reason: string; recordedAt?: string }[]; points?: number }

/** A member's progress and points ledger; admins look anyone of theirs up by id. */
export async function renderMember(root: HTMLElement, memberId: string | undefined, stale: () => boolean): Promise<void> {
  const form = `<form data-testid="lookup"><input name="member" placeholder="${t("member.id")}" value="${escape(memberId ?? "")}" />
    <button type="submit">${t("member.lookup")}</button></form>`;
  if (!memberId) {
    root.innerHTML = `<h2>${t("member.heading")}</h2>${form}`;
    bind(root);
    return;
  }

  const id = encodeURIComponent(memberId);
  const [progress, ledger] = await Promise.all([
    get<Progress>(`/v1/members/${id}/progress`),
    get<Ledger>(`/v1/members/${id}/ledger?page_size=200`),
  ]);
  if (stale()) {
    return;
  }

  root.innerHTML = `
    <h2>${t("member.heading")}</h2>${form}
    <section class="cards">
      <h3>${escape(progress.name)} · ${escape(progress.communityId)} / ${escape(progress.gridId)}</h3>
      <div class="card"><span>${t("col.points")}</span><strong data-testid="points">${progress.points ?? 0}</strong></div>
      <div class="card"><span>${t("col.progress")}</span><strong data-testid="progress">${((progress.progress ?? 0) * 100).toFixed(1)}%</strong></div>
      <div class="card"><span>${t("member.checkins")}</span><strong data-testid="checkins">${progress.checkIns ?? 0}</strong></div>
    </section>
    <section><h3>${t("member.ledger")}</h3>
      <table data-testid="ledger"><tbody>${(ledger.entries ?? [])
        .map((e) => `<tr><td>${escape((e.recordedAt ?? "").slice(0, 10))}</td><td>${escape(e.reason)}</td><td>${e.points ?? 0}</td></tr>`).join("")}</tbody></table>
    </section>`;
  bind(root);
}

function bind(root: HTMLElement): void {
  root.querySelector<HTMLFormElement>("[data-testid=lookup]")!.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = new FormData(event.target as HTMLFormElement).get("member")?.toString().trim();
    if (value) {
      location.hash = `#/member/${encodeURIComponent(value)}`;
    }
  });
}
