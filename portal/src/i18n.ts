// zh-CN by default; English on request, remembered in this browser.
const dictionaries = {
  zh: {
    title: "党员冬训 · 一个都不能少",
    "nav.overview": "街道总览",
    "nav.community": "社区",
    "nav.volunteer": "我的帮学",
    "community.heading": "社区",
    "community.grids": "各网格完成情况",
    "community.lessons": "各课程完成人数",
    "community.queue": "帮学名单（一个都不能少）",
    "community.assign": "指派",
    "community.assigned": "已指派给",
    "community.featured": "精选微感悟",
    "community.leaders": "积分榜",
    "col.member": "党员",
    "col.grid": "网格",
    "col.points": "积分",
    "col.volunteer": "帮学队员",
    "volunteer.heading": "我的帮学对象",
    "volunteer.deliver": "记录送学上门",
    "volunteer.next": "下一课",
    "volunteer.done": "已全部完成",
    "volunteer.none": "暂无帮学对象",
    "nav.member": "党员查询",
    "nav.downloads": "数据下载",
    "member.heading": "党员学习档案",
    "member.id": "党员编号",
    "member.lookup": "查询",
    "member.checkins": "打卡",
    "member.ledger": "积分明细",
    "downloads.heading": "数据下载（CSV）",
    "overview.heading": "街道总览",
    "overview.ranking": "社区完成率排名",
    "overview.trend": "完成人数（累计）",
    "overview.coverage": "帮学覆盖",
    "col.rank": "排名",
    "col.community": "社区",
    "col.enrolled": "党员",
    "col.completed": "已完成",
    "col.rate": "完成率",
    "col.progress": "平均进度",
    "cov.atRisk": "需帮学",
    "cov.inOutreach": "已指派",
    "cov.reached": "已送学",
    "cov.recovered": "已赶上",
    "signin.needed": "请使用带令牌的链接登录（…/#token=…）。",
    "error.load": "加载失败：",
    "updated": "更新于",
    lang: "English",
  },
  en: {
    title: "Winter training · no member left behind",
    "nav.overview": "Subdistrict",
    "nav.community": "Community",
    "nav.volunteer": "My visits",
    "community.heading": "Community",
    "community.grids": "Completion by grid",
    "community.lessons": "Completions by lesson",
    "community.queue": "Outreach queue (no member left behind)",
    "community.assign": "Assign",
    "community.assigned": "Assigned to",
    "community.featured": "Featured reflections",
    "community.leaders": "Leaderboard",
    "col.member": "Member",
    "col.grid": "Grid",
    "col.points": "Points",
    "col.volunteer": "Volunteer",
    "volunteer.heading": "Members I visit",
    "volunteer.deliver": "Record a home delivery",
    "volunteer.next": "Next lesson",
    "volunteer.done": "All lessons done",
    "volunteer.none": "No one assigned yet",
    "nav.member": "Member lookup",
    "nav.downloads": "Downloads",
    "member.heading": "Member record",
    "member.id": "Member id",
    "member.lookup": "Look up",
    "member.checkins": "Check-ins",
    "member.ledger": "Points ledger",
    "downloads.heading": "Downloads (CSV)",
    "overview.heading": "Subdistrict overview",
    "overview.ranking": "Communities by completion rate",
    "overview.trend": "Members completed (cumulative)",
    "overview.coverage": "Outreach coverage",
    "col.rank": "Rank",
    "col.community": "Community",
    "col.enrolled": "Members",
    "col.completed": "Completed",
    "col.rate": "Completion",
    "col.progress": "Avg progress",
    "cov.atRisk": "At risk",
    "cov.inOutreach": "Assigned",
    "cov.reached": "Reached",
    "cov.recovered": "Recovered",
    "signin.needed": "Sign in with a link that carries a token (…/#token=…).",
    "error.load": "Could not load: ",
    "updated": "Updated",
    lang: "中文",
  },
} as const;

export type Key = keyof (typeof dictionaries)["zh"];
export type Language = keyof typeof dictionaries;

export function language(): Language {
  return localStorage.getItem("lang") === "en" ? "en" : "zh";
}

export function setLanguage(next: Language): void {
  localStorage.setItem("lang", next);
  document.documentElement.lang = next === "en" ? "en" : "zh-CN";
}

export function t(key: Key): string {
  return dictionaries[language()][key];
}

export function translatePage(): void {
  document.querySelectorAll<HTMLElement>("[data-i18n]").forEach((element) => {
    element.textContent = t(element.dataset.i18n as Key);
  });
  document.title = t("title");
}
