// Browser test of the portal against a running server: Debian's Chromium driven by playwright-core.
// PORTAL_URL (e.g. http://127.0.0.1:5080), PORTAL_TOKEN (a subdistrict admin's token),
// CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (a directory for the screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.PORTAL_URL ?? "http://127.0.0.1:5080";
const token = process.env.PORTAL_TOKEN ?? "";
const screenshots = process.env.SCREENSHOTS ?? "screenshots";
mkdirSync(screenshots, { recursive: true });
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
});

async function api(path) {
  const response = await fetch(new URL(path, base), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

for (const viewport of [{ name: "desktop", width: 1280, height: 900 }, { name: "phone", width: 390, height: 844 }]) {
  test(`the subdistrict overview shows the API's numbers (${viewport.name})`, async () => {
    const page = await browser.newPage({ viewport });
    await page.goto(`${base}/#token=${encodeURIComponent(token)}`);
    await page.waitForSelector("[data-testid=ranking] tbody tr");
    // The token left the address bar.
    assert.ok(!page.url().includes("token="), page.url());

    const rollup = await api("/v1/subdistricts/xietang/rollup");
    const rows = await page.$$eval("[data-testid=ranking] tbody tr", (trs) => trs.map((tr) => ({
      community: tr.dataset.community,
      enrolled: Number(tr.querySelector("[data-testid=enrolled]").textContent),
      completed: Number(tr.querySelector("[data-testid=completed]").textContent),
    })));
    assert.deepEqual(rows, rollup.communities.map((c) => ({ community: c.communityId, enrolled: c.enrolledMembers ?? 0, completed: c.completedMembers ?? 0 })));
    assert.equal(Number(await page.textContent("[data-testid=coverage-atRisk]")), rollup.coverage?.atRisk ?? 0);
    assert.equal(await page.locator("[data-testid=trend] canvas").count(), 1);
    assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
    await page.screenshot({ path: join(screenshots, `overview-${viewport.name}.png`), fullPage: true });
    await page.close();
  });
}

test("English on request, and it stays", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/#token=${encodeURIComponent(token)}`);
  await page.waitForSelector("[data-testid=ranking]");
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector("h2")?.textContent?.startsWith("Subdistrict overview"));
  await page.reload();
  await page.waitForSelector("[data-testid=ranking]");
  assert.match(await page.textContent("h2"), /^Subdistrict overview/);
  await page.screenshot({ path: join(screenshots, "overview-english.png") });
  await page.close();
});

test("without a token the page says how to sign in", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.waitForSelector("[data-testid=signin]");
  await page.close();
});
