// The community page and the volunteer's page, in Chromium: the outreach loop through the UI.
// PORTAL_URL, PORTAL_ADMIN_TOKEN (community admin of PORTAL_COMMUNITY), PORTAL_VOLUNTEER_TOKEN
// (a squad volunteer of that community, PORTAL_VOLUNTEER), CHROMIUM, SCREENSHOTS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.PORTAL_URL ?? "http://127.0.0.1:5080";
const community = process.env.PORTAL_COMMUNITY ?? "jinyan";
const volunteer = process.env.PORTAL_VOLUNTEER ?? "jinyan-v02";
const adminToken = process.env.PORTAL_ADMIN_TOKEN ?? "";
const volunteerToken = process.env.PORTAL_VOLUNTEER_TOKEN ?? "";
const screenshots = process.env.SCREENSHOTS ?? "screenshots";
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
});

async function api(path, token, init = {}) {
  const response = await fetch(new URL(path, base), { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

test("assign a member to a volunteer on the community page, then record a home delivery on the volunteer's page", async () => {
  const admin = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await admin.goto(`${base}/#token=${encodeURIComponent(adminToken)}`);
  // A community admin lands on their community.
  await admin.waitForSelector("[data-testid=queue] tbody tr");
  const queue = await api(`/v1/communities/${community}/at-risk?page_size=1`, adminToken);
  assert.equal(Number(await admin.textContent("[data-testid=queue-total]")), queue.totalSize);
  assert.equal(await admin.locator("[data-testid=grids] canvas").count(), 1);

  // The first member not yet assigned: choose the volunteer, assign.
  const row = admin.locator("[data-testid=queue] tbody tr", { has: admin.locator("button[data-assign]") }).first();
  const member = await row.getAttribute("data-member");
  await row.locator("select").selectOption(volunteer);
  await row.locator("button[data-assign]").click();
  await admin.waitForSelector(`[data-testid=queue] tr[data-member="${member}"] [data-testid=assigned]`);
  assert.match(await admin.textContent(`tr[data-member="${member}"] [data-testid=assigned]`), new RegExp(volunteer));
  const outreach = await api(`/v1/communities/${community}/outreach/${member}`, adminToken);
  assert.equal(outreach.volunteerId, volunteer);
  await admin.screenshot({ path: join(screenshots, "community.png"), fullPage: true });
  await admin.close();

  // The volunteer sees the member and brings the next lesson home.
  const before = await api(`/v1/members/${member}/progress`, volunteerToken);
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/#token=${encodeURIComponent(volunteerToken)}`);
  await page.waitForSelector(`[data-testid=visits] tr[data-member="${member}"]`);
  await page.click(`tr[data-member="${member}"] button[data-deliver]`);
  await page.waitForFunction((m) => !document.querySelector(`tr[data-member="${m}"] button[data-deliver]`)?.disabled, member);
  const after = await api(`/v1/members/${member}/progress`, volunteerToken);
  assert.equal((after.completedLessons ?? []).length, (before.completedLessons ?? []).length + 1);
  const delivered = after.lessons.find((l) => !(before.completedLessons ?? []).includes(l.lessonId));
  assert.equal(delivered.channel, "CHANNEL_HOME_DELIVERY");
  assert.equal(delivered.deliveredBy, volunteer);
  await page.waitForFunction(([m, shown]) => document.querySelector(`tr[data-member="${m}"] [data-testid=progress]`)?.textContent === shown,
    [member, `${((after.progress ?? 0) * 100).toFixed(1)}%`], { timeout: 10000 });
  await page.screenshot({ path: join(screenshots, "volunteer-phone.png"), fullPage: true });
  await page.close();
});
