import * as echarts from "echarts";
import { get, type Caller, type RollupReport, type SubdistrictRollup } from "./api";
import { escape } from "./html";
import { t } from "./i18n";

const percent = (value: number | undefined) => `${((value ?? 0) * 100).toFixed(1)}%`;

let chart: echarts.ECharts | undefined;

/** The subdistrict overview: communities ranked by completion, completions over time, outreach coverage. */
export async function renderOverview(root: HTMLElement, caller: Caller, stale: () => boolean): Promise<void> {
  const subdistrict = caller.subdistrictId || "xietang";
  const [rollup, report] = await Promise.all([
    get<SubdistrictRollup>(`/v1/subdistricts/${encodeURIComponent(subdistrict)}/rollup`),
    get<RollupReport>(`/v1/subdistricts/${encodeURIComponent(subdistrict)}/report`),
  ]);
  if (stale()) {
    return; // another page was asked for meanwhile
  }

  const coverage = rollup.coverage ?? {};
  root.innerHTML = `
    <h2>${t("overview.heading")} · ${subdistrict} · ${rollup.seasonId}</h2>
    <section class="cards" data-testid="coverage">
      <h3>${t("overview.coverage")}</h3>
      ${(["atRisk", "inOutreach", "reached", "recovered"] as const)
        .map((key) => `<div class="card"><span>${t(`cov.${key}`)}</span><strong data-testid="coverage-${key}">${coverage[key] ?? 0}</strong></div>`)
        .join("")}
    </section>
    <section>
      <h3>${t("overview.ranking")}</h3>
      <table data-testid="ranking">
        <thead><tr><th>${t("col.rank")}</th><th>${t("col.community")}</th><th>${t("col.enrolled")}</th><th>${t("col.completed")}</th><th>${t("col.rate")}</th><th>${t("col.progress")}</th></tr></thead>
        <tbody>${rollup.communities
          .map((c) => `<tr data-community="${c.communityId}"><td>${c.rank}</td><td><a href="#/community/${c.communityId}">${escape(c.name)}</a></td><td data-testid="enrolled">${c.enrolledMembers ?? 0}</td>`
            + `<td data-testid="completed">${c.completedMembers ?? 0}</td><td data-testid="rate">${percent(c.completionRate)}</td><td>${percent(c.averageProgress)}</td></tr>`)
          .join("")}</tbody>
      </table>
    </section>
    <section>
      <h3>${t("overview.trend")}</h3>
      <div id="trend" class="chart" data-testid="trend"></div>
    </section>`;
  chart?.dispose();
  chart = echarts.init(root.querySelector<HTMLElement>("#trend")!);
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: report.daily.map((d) => d.date) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", name: t("overview.trend"), data: report.daily.map((d) => d.cumulativeCompleted ?? 0), showSymbol: false, areaStyle: {} }],
  });
}
