// Member lookup and the analysts' downloads, in Chromium.
// PORTAL_URL, PORTAL_TOKEN (subdistrict admin), PORTAL_ADMIN_TOKEN (community admin of PORTAL_COMMUNITY), CHROMIUM, SCREENSHOTS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.PORTAL_URL ?? "http://127.0.0.1:5080";
const community = process.env.PORTAL_COMMUNITY ?? "jinyan";
const staffToken = process.env.PORTAL_TOKEN ?? "";
const adminToken = process.env.PORTAL_ADMIN_TOKEN ?? "";
const screenshots = process.env.SCREENSHOTS ?? "screenshots";
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
});

async function api(path, token) {
  const response = await fetch(new URL(path, base), { headers: { Authorization: `Bearer ${token}` } });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response;
}

test("a community admin looks a member up: points, progress and the ledger as the API says", async () => {
  const member = `${community}-0005`;
  const page = await browser.newPage();
  await page.goto(`${base}/#token=${encodeURIComponent(adminToken)}`);
  await page.waitForSelector("nav a");
  await page.evaluate((m) => { location.hash = `#/member/${m}`; }, member);
  await page.waitForSelector("[data-testid=ledger]");
  const progress = await (await api(`/v1/members/${member}/progress`, adminToken)).json();
  const ledger = await (await api(`/v1/members/${member}/ledger?page_size=200`, adminToken)).json();
  assert.equal(Number(await page.textContent("[data-testid=points]")), progress.points ?? 0);
  assert.equal(await page.locator("[data-testid=ledger] tr").count(), (ledger.entries ?? []).length);
  await page.screenshot({ path: join(screenshots, "member.png"), fullPage: true });
  await page.close();
});

test("an analyst's download is the API's CSV, byte for byte", async () => {
  const page = await browser.newPage({ acceptDownloads: true });
  await page.goto(`${base}/#token=${encodeURIComponent(staffToken)}`);
  await page.waitForSelector("nav a");
  await page.evaluate(() => { location.hash = "#/downloads"; });
  await page.waitForSelector("button[data-table=lessons]");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("button[data-table=lessons]")]);
  const saved = await readFile(await download.path());
  const expected = Buffer.from(await (await api("/v1/subdistricts/xietang/rollup.csv?table=lessons", staffToken)).arrayBuffer());
  assert.equal(download.suggestedFilename(), "xietang-lessons.csv");
  assert.deepEqual(saved, expected);
  assert.deepEqual([...saved.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  await page.close();
});
