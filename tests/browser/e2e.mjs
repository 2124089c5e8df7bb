// End-to-end: sign in, open the queue, open a flagged selfie, see the
// overlay, approve it, see the applicant's status change — on a desktop
// viewport and at phone width (390x844). Screenshots go to --shots DIR.
// Fails on any console error (a CSP violation is one) or page error.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? acc.concat([[a.slice(2), all[i + 1]]]) : acc), []));
const base = args.base, user = args.user, password = args.password, shots = args.shots;
mkdirSync(shots, { recursive: true });

function check(cond, what) {
  if (!cond) throw new Error('assertion failed: ' + what);
}

// Playwright gives the browser a new temporary profile (--user-data-dir) itself.
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function run(name, viewport, applicant, useKeys) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));

  // 1. Anything without a session lands on the sign-in page.
  await page.goto(base + '/');
  check(page.url().endsWith('/login'), `${name}: redirected to /login (${page.url()})`);
  await page.screenshot({ path: join(shots, `${name}-1-login.png`), fullPage: true });
  await page.fill('input[name=name]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(base + '/'), page.click('button[type=submit]')]);

  // 2. The queue lists the applicant with the selfie's flags.
  const row = page.locator('#queue .row', { hasText: applicant });
  check(await row.count() === 1, `${name}: ${applicant} is in the queue`);
  check(await row.locator('.flag').count() >= 1, `${name}: flags shown in the queue`);
  await page.screenshot({ path: join(shots, `${name}-2-queue.png`), fullPage: true });

  // 3. The applicant page before the decision: selfie is "checking".
  await row.locator('a.applicant-link').click();
  await page.waitForSelector('#statuses');
  const selfieStatus = page.locator('#statuses tr[data-kind=selfie] .status code');
  check(await selfieStatus.textContent() === 'checking', `${name}: selfie checking before`);
  await page.goBack();

  // 4. The upload page: the redacted image, the overlay, the flags.
  await page.locator('#queue .row', { hasText: applicant }).locator('a.open').click();
  await page.waitForSelector('#overlay');
  const img = page.locator('#photo');
  await img.evaluate((el) => el.decode());
  check(await img.evaluate((el) => el.naturalWidth > 0), `${name}: the redacted image loads`);
  check(await page.locator('#overlay rect.ov-face, #overlay rect.ov-face-doc').count() >= 1,
    `${name}: face boxes drawn`);
  check(await page.locator('#overlay polygon.ov-doc').count() === 1, `${name}: the document outline drawn`);
  check(await page.locator('#flags li').count() >= 1, `${name}: flags explained`);
  check((await page.locator('#flags').textContent()).match(/[\u3040-\u30ff\u4e00-\u9fff]/),
    `${name}: flags explained in Japanese`);
  const box = await img.boundingBox(), ov = await page.locator('#overlay').boundingBox();
  check(Math.abs(box.width - ov.width) < 2 && Math.abs(box.height - ov.height) < 2,
    `${name}: overlay covers the image exactly`);
  check(box.width <= viewport.width, `${name}: the image fits the viewport`);
  await page.screenshot({ path: join(shots, `${name}-3-upload.png`), fullPage: true });
  if (useKeys) {
    await page.keyboard.press('o');
    check(!(await page.locator('#overlay').isVisible()), `${name}: o hides the overlay`);
    await page.keyboard.press('o');
    check(await page.locator('#overlay').isVisible(), `${name}: o shows it again`);
  }

  // 5. Approve (the a key on desktop, the button on the phone).
  const nav = page.waitForURL(/\/applicants\//);
  if (useKeys) await page.keyboard.press('a');
  else await page.locator('#approve').click();
  await nav;
  check(await page.locator('#statuses tr[data-kind=selfie] .status code').textContent() === 'approved',
    `${name}: selfie approved after`);
  check((await page.locator('#audit').textContent()).includes(user), `${name}: audit names the reviewer`);
  await page.screenshot({ path: join(shots, `${name}-4-applicant.png`), fullPage: true });

  // 6. The approved upload is no longer waiting.
  await page.goto(base + '/');
  check(await page.locator('#queue .row', { hasText: applicant }).count() === 0,
    `${name}: ${applicant} left the queue`);
  check(problems.length === 0, `${name}: no console or page errors: ${problems.join(' | ')}`);
  await context.close();
  console.log(`ok - ${name}`);
}

try {
  await run('desktop', { width: 1280, height: 900 }, 'E2E-1', true);
  await run('phone', { width: 390, height: 844 }, 'E2E-2', false);
} finally {
  await browser.close();
}
