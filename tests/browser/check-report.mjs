// Opens a report (or brief) in headless Chromium with the network off, as a reader would, and
// fails unless: the only request is the file itself, no script exists or runs (no dialog, no
// element with an event-handler attribute, no CSP violation), every expected text is visible as
// text, and no <img> element came out of the data. Then it saves a full-page screenshot.
//
//   node check-report.mjs REPORT.html SCREENSHOT.png [EXPECTED_TEXT ...]
//
// CHROMIUM names the browser binary (default /usr/bin/chromium, Debian's package).

import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [, , htmlPath, pngPath, ...expected] = process.argv;
if (!htmlPath || !pngPath) {
  console.error('usage: node check-report.mjs REPORT.html SCREENSHOT.png [EXPECTED_TEXT ...]');
  process.exit(2);
}
const url = pathToFileURL(resolve(htmlPath)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--proxy-server=127.0.0.1:9', '--host-resolver-rules=MAP * ~NOTFOUND'],
});
const problems = [];
try {
  const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', async (d) => {
    problems.push(`a script ran: ${d.type()} dialog "${d.message()}"`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP violation: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(200);

  const other = requests.filter((u) => u !== url);
  if (other.length > 0) problems.push(`requests besides the file itself: ${other.join(', ')}`);
  const dom = await page.evaluate(() => ({
    scripts: document.scripts.length,
    images: document.images.length,
    handlers: [...document.querySelectorAll('*')].filter((e) =>
      [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
    text: document.body.innerText,
    dir: document.documentElement.getAttribute('dir') || 'ltr',
  }));
  if (dom.scripts > 0) problems.push(`${dom.scripts} <script> element(s)`);
  if (dom.images > 0) problems.push(`${dom.images} <img> element(s): data became markup`);
  if (dom.handlers > 0) problems.push(`${dom.handlers} element(s) with an event-handler attribute`);
  for (const t of expected) {
    if (!dom.text.includes(t)) problems.push(`text not shown: ${JSON.stringify(t)}`);
  }
  await page.screenshot({ path: pngPath, fullPage: true });
  console.log(`${htmlPath}: ${requests.length} request(s), direction ${dom.dir}, screenshot ${pngPath}`);
} finally {
  await browser.close();
}
if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL ${htmlPath}: ${p}`);
  process.exit(1);
}
