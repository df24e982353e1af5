import * as echarts from "echarts";
import { get, post } from "./api";
import { escape } from "./html";
import { t } from "./i18n";

interface GridRollup { gridId: string; enrolledMembers?: number; completedMembers?: number; averageProgress?: number }
interface CommunityRollup { communityId: string; name: string; grids: GridRollup[]; lessons: { lessonId: string; completions?: number }[] }
interface AtRiskMember { memberId: string; name: string; gridId: string; progress?: number; case?: { volunteerId?: string; status?: string } }
interface Volunteer { volunteerId: string; name: string }

const charts: echarts.ECharts[] = [];
const percent = (value: number | undefined) => `${((value ?? 0) * 100).toFixed(1)}%`;

/** A community: grids and lessons charted, the outreach queue with assign-to-volunteer, featured reflections, leaderboard. */
export async function renderCommunity(root: HTMLElement, communityId: string, refresh: () => void, stale: () => boolean): Promise<void> {
  const id = encodeURIComponent(communityId);
  const [rollup, queue, squad, featured, board] = await Promise.all([
    get<CommunityRollup>(`/v1/communities/${id}/rollup`),
    get<{ members?: AtRiskMember[]; totalSize?: number }>(`/v1/communities/${id}/at-risk?page_size=200`),
    get<{ volunteers?: Volunteer[] }>(`/v1/communities/${id}/volunteers`),
    get<{ reflections?: { memberName?: string; text: string }[] }>(`/v1/communities/${id}/reflections?status=REFLECTION_STATUS_FEATURED&page_size=5`),
    get<{ leaders?: { rank: number; name: string; points?: number }[] }>(`/v1/communities/${id}/leaderboard?top=10`),
  ]);
  if (stale()) {
    return;
  }

  const volunteers = squad.volunteers ?? [];
  const options = volunteers.map((v) => `<option value="${escape(v.volunteerId)}">${escape(v.name)}</option>`).join("");
  root.innerHTML = `
    <h2>${t("community.heading")} · ${escape(rollup.name)}</h2>
    <section><h3>${t("community.grids")}</h3><div id="grids" class="chart" data-testid="grids"></div></section>
    <section><h3>${t("community.lessons")}</h3><div id="lessons" class="chart" data-testid="lessons"></div></section>
    <section>
      <h3>${t("community.queue")} · <span data-testid="queue-total">${queue.totalSize ?? 0}</span></h3>
      <table data-testid="queue">
        <thead><tr><th>${t("col.member")}</th><th>${t("col.grid")}</th><th>${t("col.progress")}</th><th>${t("col.volunteer")}</th></tr></thead>
        <tbody>${(queue.members ?? []).map((m) => `
          <tr data-member="${escape(m.memberId)}">
            <td>${escape(m.name)}</td><td>${escape(m.gridId)}</td><td>${percent(m.progress)}</td>
            <td>${m.case?.volunteerId
              ? `<span data-testid="assigned">${t("community.assigned")} ${escape(m.case.volunteerId)}</span>`
              : `<select aria-label="${t("col.volunteer")}">${options}</select> <button type="button" data-assign="${escape(m.memberId)}">${t("community.assign")}</button>`}</td>
          </tr>`).join("")}</tbody>
      </table>
    </section>
    <section><h3>${t("community.featured")}</h3>
      <ul data-testid="featured">${(featured.reflections ?? []).map((r) => `<li><b>${escape(r.memberName ?? "")}</b>：${escape(r.text)}</li>`).join("")}</ul></section>
    <section><h3>${t("community.leaders")}</h3>
      <ol data-testid="leaders">${(board.leaders ?? []).map((l) => `<li>${escape(l.name)} · ${l.points ?? 0}</li>`).join("")}</ol></section>`;
  root.querySelectorAll<HTMLButtonElement>("button[data-assign]").forEach((button) => {
    button.addEventListener("click", async () => {
      const volunteerId = button.parentElement!.querySelector("select")!.value;
      button.disabled = true;
      await post(`/v1/communities/${id}/outreach/${encodeURIComponent(button.dataset.assign!)}/assign`, { volunteerId });
      refresh();
    });
  });
  charts.splice(0).forEach((chart) => chart.dispose());
  const bar = (element: string, names: string[], values: number[]) => {
    const chart = echarts.init(root.querySelector<HTMLElement>(element)!);
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: names, axisLabel: { rotate: 30 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: values }],
    });
    charts.push(chart);
  };
  bar("#grids", rollup.grids.map((g) => g.gridId), rollup.grids.map((g) => g.completedMembers ?? 0));
  bar("#lessons", rollup.lessons.map((l) => l.lessonId), rollup.lessons.map((l) => l.completions ?? 0));
}
