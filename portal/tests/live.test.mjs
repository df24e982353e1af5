// Live numbers: the community page follows what happens without being reloaded.
// PORTAL_URL, PORTAL_ADMIN_TOKEN (community admin of PORTAL_COMMUNITY), CHROMIUM.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { chromium } from "playwright-core";

const base = process.env.PORTAL_URL ?? "http://127.0.0.1:5080";
const community = process.env.PORTAL_COMMUNITY ?? "jinyan";
const adminToken = process.env.PORTAL_ADMIN_TOKEN ?? "";
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
});

async function api(path, init = {}) {
  const response = await fetch(new URL(path, base), { ...init, headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" } });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

test("the leaderboard changes on the open page when the leader earns points", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/#token=${encodeURIComponent(adminToken)}`);
  await page.waitForSelector("[data-testid=leaders] li");
  const shownBefore = await page.textContent("[data-testid=leaders]");

  // A member on the board attends a lecture they had not attended (recorded by the community admin).
  const season = await api("/v1/seasons/current");
  let chosen;
  for (const leader of (await api(`/v1/communities/${community}/leaderboard?top=10`)).leaders) {
    const progress = await api(`/v1/members/${leader.memberId}/progress`);
    const lesson = season.season.lessons.find((l) => !(progress.completedLessons ?? []).includes(l.lessonId));
    if (lesson) {
      chosen = { leader, lesson };
      break;
    }
  }

  assert.ok(chosen, "someone on the board should have a lesson left");
  const reply = await api(`/v1/members/${chosen.leader.memberId}/lessons/${chosen.lesson.lessonId}/complete`,
    { method: "POST", body: JSON.stringify({ eventId: randomUUID(), channel: "CHANNEL_IN_PERSON" }) });
  assert.ok(reply.totalPoints > (chosen.leader.points ?? 0));
  const expected = `${chosen.leader.name} · ${reply.totalPoints}`;

  // No reload: the page's own refresh brings the new total.
  await page.waitForFunction((text) => [...document.querySelectorAll("[data-testid=leaders] li")].some((li) => li.textContent === text), expected, { timeout: 15000 });
  assert.ok(!shownBefore.includes(expected));
  await page.close();
});
