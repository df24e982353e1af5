import { get, post } from "./api";
import { escape } from "./html";
import { t } from "./i18n";

interface Assignment { communityId: string; memberId: string; open?: boolean }
interface Progress { memberId: string; name: string; completedLessons?: string[]; progress?: number }
interface Season { season: { lessons: { lessonId: string; title: string; required?: boolean }[] } }

/** A squad volunteer's members, each with the next lesson to bring home (送学上门). */
export async function renderVolunteer(root: HTMLElement, volunteerId: string, refresh: () => void, stale: () => boolean): Promise<void> {
  const [{ assignments = [] }, season] = await Promise.all([
    get<{ assignments?: Assignment[] }>(`/v1/volunteers/${encodeURIComponent(volunteerId)}/assignments`),
    get<Season>("/v1/seasons/current"),
  ]);
  const open = assignments.filter((a) => a.open);
  const members = await Promise.all(open.map((a) => get<Progress>(`/v1/members/${encodeURIComponent(a.memberId)}/progress`)));
  if (stale()) {
    return;
  }

  const lessons = [...season.season.lessons].sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
  root.innerHTML = `
    <h2>${t("volunteer.heading")}</h2>
    ${members.length === 0 ? `<p data-testid="none">${t("volunteer.none")}</p>` : ""}
    <table data-testid="visits">
      <thead><tr><th>${t("col.member")}</th><th>${t("col.progress")}</th><th>${t("volunteer.next")}</th><th></th></tr></thead>
      <tbody>${members.map((m) => {
        const next = lessons.find((l) => !(m.completedLessons ?? []).includes(l.lessonId));
        return `<tr data-member="${escape(m.memberId)}"><td>${escape(m.name)}</td>
          <td data-testid="progress">${((m.progress ?? 0) * 100).toFixed(1)}%</td>
          <td>${next ? escape(next.title) : t("volunteer.done")}</td>
          <td>${next ? `<button type="button" data-deliver="${escape(next.lessonId)}">${t("volunteer.deliver")}</button>` : ""}</td></tr>`;
      }).join("")}</tbody>
    </table>`;
  root.querySelectorAll<HTMLButtonElement>("button[data-deliver]").forEach((button) => {
    button.addEventListener("click", async () => {
      const memberId = button.closest("tr")!.dataset.member!;
      button.disabled = true;
      await post(`/v1/members/${encodeURIComponent(memberId)}/lessons/${encodeURIComponent(button.dataset.deliver!)}/complete`,
        { eventId: crypto.randomUUID(), channel: "CHANNEL_HOME_DELIVERY" });
      refresh();
    });
  });
}
