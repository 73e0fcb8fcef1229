// The whole user journey in Debian's Chromium, driven by playwright-core
// (Playwright's own browser download is not reachable here). Run by run.sh,
// which starts the service; fails on any page error or console error.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(new URL('../../../frontend/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8000';
const PHOTO = process.env.PHOTO;
const NO_FACE_PHOTO = process.env.NO_FACE_PHOTO;
const EMOJI_DIR = process.env.EMOJI_DIR;
const ARTIFACTS = process.env.ARTIFACTS ?? 'artifacts/browser';
const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
const JOB_TIMEOUT = 180_000; // a cold ai_server on a shared 2-core machine
assert.ok(PHOTO && NO_FACE_PHOTO && EMOJI_DIR, 'PHOTO, NO_FACE_PHOTO and EMOJI_DIR must be set');
mkdirSync(ARTIFACTS, { recursive: true });

const problems = [];
// Statuses a step provokes on purpose (a wrong password, a link after unsharing):
// Chromium logs each as a console error, which is then not a problem.
const expectedStatuses = new Set();
function watch(page, label) {
  page.on('pageerror', (err) => problems.push(`[${label}] page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if ([...expectedStatuses].some((status) => msg.text().includes(`status of ${status}`))) return;
    problems.push(`[${label}] console error: ${msg.text()} ${JSON.stringify(msg.location())}`);
  });
  page.on('requestfailed', (req) => {
    // navigating away cancels image loads; that is not an error
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`[${label}] request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
}

// animations: 'disabled' finishes CSS transitions (button colours, dialog fade) first
const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true, animations: 'disabled' });

async function noSideScroll(page, label) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client + 1, `${label}: page is ${scroll}px wide in a ${client}px window`);
}

function step(name) {
  console.log(`browser test: ${name}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  watch(page, 'desktop');
  const stamp = Date.now().toString(36);
  const email = `e2e-${stamp}@example.com`;
  const alias = `e2e${stamp}`.slice(0, 20);
  const password = `Browser-${stamp}-pass!`;

  step('landing');
  await page.goto(BASE_URL);
  await page.getByRole('heading', { name: 'How it works' }).waitFor();
  await page.waitForLoadState('networkidle');
  await shot(page, '01-landing');

  step('sign up');
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Alias', { exact: true }).fill(alias);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password', { exact: true }).fill(password);
  await page.getByText('Available').first().waitFor(); // live availability answered
  await page.getByText('Strength: strong').waitFor();
  await shot(page, '02-sign-up');
  await page.getByRole('button', { name: 'Sign up' }).click();

  step('log in');
  await page.waitForURL('**/login');
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();

  step('gallery and Top 3');
  await page.waitForURL('**/gallery');
  await page.getByText('Top 3', { exact: true }).waitFor();
  const useButton = page.getByRole('button', { name: /^Use / }).first();
  await useButton.waitFor();
  await page.waitForLoadState('networkidle');
  await shot(page, '03-gallery');

  step('emojify the astronaut photo');
  await useButton.click();
  await page.waitForURL('**/templates/*');
  const templateUrl = new URL(page.url()).pathname;
  await page.getByLabel('Photo').setInputFiles(PHOTO);
  await page.getByAltText('Your photo').waitFor();
  await shot(page, '04-use-template');
  await page.getByRole('button', { name: 'Emojify' }).click();
  await page.waitForURL('**/results/**');
  await page.getByRole('progressbar', { name: 'Progress' }).waitFor();
  await shot(page, '05-progress');
  const result = page.getByAltText('Result', { exact: true });
  await result.waitFor({ timeout: JOB_TIMEOUT });
  await page.waitForFunction(() => {
    const img = document.querySelector('img[alt="Result"]');
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
  });
  const emotions = await page.getByTestId('face-emotion').allTextContents();
  assert.ok(emotions.length >= 1, 'the astronaut photo has a face');
  for (const e of emotions) assert.ok(EMOTIONS.includes(e), `"${e}" is one of the seven emotions`);
  assert.equal(await page.getByTestId('face').first().getByRole('progressbar').count(), 7, 'seven score bars a face');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^igemoji-[0-9a-f-]{8}\.(jpg|png|webp)$/, 'the download is named after its type');
  await shot(page, '06-result');
  const firstResultUrl = page.url();

  step('change the emotion of face 1: a new version, same faces');
  await page.getByTestId('faces-summary').waitFor();
  const before = await result.getAttribute('src');
  const chosen = EMOTIONS.find((e) => e !== emotions[0]);
  await page.getByRole('button', { name: 'Change emotion of face 1', exact: true }).click();
  const menu = page.getByRole('menu');
  assert.equal(await menu.getByRole('menuitemradio').count(), 7, 'the seven emotions are offered');
  assert.equal(await menu.getByRole('menuitemradio', { name: emotions[0], exact: true }).getAttribute('aria-checked'), 'true');
  await shot(page, '06c-emotion-menu');
  await menu.getByRole('menuitemradio', { name: chosen, exact: true }).click();
  await page.waitForURL((url) => url.href !== firstResultUrl && url.pathname.startsWith('/results/'));
  await page.waitForFunction((old) => {
    const img = document.querySelector('img[alt="Result"]');
    return img instanceof HTMLImageElement && img.src !== old && img.complete && img.naturalWidth > 0;
  }, before, { timeout: JOB_TIMEOUT });
  const after = await page.getByAltText('Result', { exact: true }).getAttribute('src');
  const [oldBytes, newBytes] = await Promise.all([before, after].map(async (u) => (await page.request.get(u)).body()));
  assert.ok(!oldBytes.equals(newBytes), 'the re-rendered picture differs');
  assert.equal(await page.getByTestId('face-emotion').first().textContent(), chosen, 'face 1 shows the chosen emotion');
  await page.getByTestId('face').first().getByText('your choice').waitFor();
  assert.equal(await page.getByTestId('face').count(), emotions.length, 'the same faces');
  assert.match(await page.getByTestId('faces-summary').textContent(), new RegExp(`^${emotions.length} faces?: .*1 ${chosen}`));
  await shot(page, '06d-rerendered');
  const resultUrl = page.url();

  step('share the result and stop sharing it');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByText('Link copied.', { exact: false }).waitFor();
  const shareUrl = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.match(shareUrl, /\/s\/[A-Za-z0-9_-]{43}$/, 'an unguessable link');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shareUrl, 'the link is on the clipboard');
  await shot(page, '06e-shared');
  const strangerContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const stranger = await strangerContext.newPage();
  watch(stranger, 'share page');
  await stranger.goto(shareUrl);
  await stranger.waitForFunction(() => {
    const img = document.querySelector('img[alt="Shared result"]');
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
  });
  await stranger.getByText(/Made with the “.+” template/).waitFor();
  assert.equal(await stranger.locator('img').count(), 1, 'only the result, never the photo');
  await shot(stranger, '06f-share-page');
  await page.getByRole('button', { name: 'Stop sharing' }).click();
  await page.getByText('The link no longer works.').waitFor();
  expectedStatuses.add(404);
  const gone = await stranger.goto(shareUrl);
  assert.equal(gone.status(), 404, 'an unshared link is a 404');
  await stranger.getByText('This link does not exist or is no longer shared.').waitFor();
  expectedStatuses.delete(404);
  await strangerContext.close();

  step('a photo without a face says so');
  await page.goto(BASE_URL + templateUrl);
  await page.getByLabel('Photo').setInputFiles(NO_FACE_PHOTO);
  await page.getByAltText('Your photo').waitFor();
  await page.getByRole('button', { name: 'Emojify' }).click();
  await page.waitForURL('**/results/**');
  await page.getByAltText('Result', { exact: true }).waitFor({ timeout: JOB_TIMEOUT });
  await page.getByText(/no face/i).first().waitFor();
  assert.equal(await page.getByTestId('face').count(), 0, 'no face listed');
  await shot(page, '06b-no-face');

  step('my page shows the results, both versions of the re-rendered one');
  await page.getByRole('link', { name: 'My page' }).click();
  const myPhotos = page.locator('section', { has: page.getByRole('heading', { name: /My photos/ }) });
  await myPhotos.getByRole('img').first().waitFor();
  assert.equal(await myPhotos.getByRole('listitem').count(), 3, 'the astronaut, its new version, the coffee');
  assert.equal(await myPhotos.getByText('new version', { exact: true }).count(), 1);
  await page.waitForFunction(() => [...document.querySelectorAll('main section img')].some((i) => i.complete && i.naturalWidth > 0));
  await shot(page, '07-my-page');

  step('create a template from seven pictures');
  const templateName = `E2E ${stamp}`;
  await page.getByRole('link', { name: 'Gallery', exact: true }).click();
  await page.getByRole('button', { name: 'Create a template' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a template' });
  await dialog.getByLabel('Template name').fill(templateName);
  const files = readdirSync(EMOJI_DIR);
  for (const emotion of EMOTIONS) {
    assert.ok(files.includes(`${emotion}.png`), `${emotion}.png in ${EMOJI_DIR}`);
    await dialog.getByLabel(`Picture for ${emotion}`).setInputFiles(path.join(EMOJI_DIR, `${emotion}.png`));
  }
  await shot(page, '08-create-template');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.getByText(`“${templateName}” is ready and in the gallery.`).waitFor({ timeout: JOB_TIMEOUT });
  await shot(page, '09-template-ready');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: `Use ${templateName}` }).waitFor();

  step('delete it from my page');
  await page.getByRole('link', { name: 'My page' }).click();
  await page.getByRole('button', { name: `Delete ${templateName}` }).click();
  const confirm = page.getByRole('dialog', { name: `Delete “${templateName}”?` });
  await shot(page, '10-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: `Delete ${templateName}` }).waitFor({ state: 'detached' });
  await page.getByRole('link', { name: 'Gallery', exact: true }).click();
  await page.getByRole('button', { name: /^Use / }).first().waitFor();
  assert.equal(await page.getByRole('button', { name: `Use ${templateName}` }).count(), 0, 'deleted template left the gallery');

  step('390 px wide');
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'en-US', storageState: await context.storageState(),
  });
  const mobile = await phone.newPage();
  watch(mobile, 'mobile');
  for (const [name, url, ready] of [
    ['11-mobile-landing', '/', () => mobile.getByRole('heading', { name: 'How it works' })],
    ['12-mobile-gallery', '/gallery', () => mobile.getByText('Top 3', { exact: true })],
    ['12b-mobile-use-template', templateUrl, () => mobile.getByRole('button', { name: 'Emojify' })],
    ['13-mobile-result', new URL(resultUrl).pathname, () => mobile.getByAltText('Result', { exact: true })],
    ['14-mobile-my-page', '/me', () => mobile.getByRole('heading', { name: /My photos/ })],
  ]) {
    await mobile.goto(BASE_URL + url);
    await ready().waitFor();
    await mobile.waitForLoadState('networkidle');
    await noSideScroll(mobile, name);
    await shot(mobile, name);
  }
  await mobile.getByRole('link', { name: 'My page' }).waitFor();
  await mobile.getByRole('button', { name: 'Log out' }).waitFor();
  await mobile.goto(BASE_URL + '/gallery');
  await mobile.getByRole('button', { name: 'Create a template' }).click();
  await mobile.getByRole('dialog', { name: 'Create a template' }).getByLabel('Picture for neutral').waitFor({ state: 'attached' });
  // the dialog fades in; screenshot it once it is fully shown
  await mobile.waitForFunction(() => getComputedStyle(document.querySelector('.MuiDialog-container')).opacity === '1');
  await noSideScroll(mobile, 'mobile create dialog');
  await shot(mobile, '14b-mobile-create-template');
  const visitorContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
  const visitor = await visitorContext.newPage();
  watch(visitor, 'mobile visitor');
  await visitor.goto(BASE_URL + '/register');
  await visitor.getByLabel('Confirm password', { exact: true }).waitFor();
  await noSideScroll(visitor, 'mobile sign-up');
  await shot(visitor, '14c-mobile-sign-up');

  step('Korean');
  await mobile.goto(BASE_URL + '/');
  await mobile.getByRole('combobox', { name: 'Language' }).selectOption('ko');
  await mobile.getByRole('heading', { name: '사용 방법' }).waitFor();
  await shot(mobile, '15-mobile-landing-ko');

  step('a Korean browser gets Korean');
  const koContext = await browser.newContext({ locale: 'ko-KR' });
  const ko = await koContext.newPage();
  watch(ko, 'ko');
  await ko.goto(BASE_URL + '/');
  await ko.getByRole('heading', { name: '이게 이모지?' }).waitFor();
  assert.equal(await ko.evaluate(() => document.documentElement.lang), 'ko');

  step('log out');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Sign up' }).waitFor();

  step('delete the account: a wrong password first, then the right one');
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/gallery');
  await page.goto(BASE_URL + new URL(resultUrl).pathname);
  const oldImage = await page.getByAltText('Result', { exact: true }).getAttribute('src');
  await page.getByRole('link', { name: 'My page' }).click();
  await page.getByRole('button', { name: 'Delete my account' }).click();
  const farewell = page.getByRole('dialog', { name: 'Delete your account?' });
  expectedStatuses.add(400);
  await farewell.getByLabel('Password').fill('not my password');
  await farewell.getByRole('button', { name: 'Delete my account' }).click();
  await farewell.getByText('The password is wrong. Nothing was deleted.').waitFor();
  expectedStatuses.delete(400);
  await shot(page, '16-delete-account-wrong-password');
  await farewell.getByLabel('Password').fill(password);
  await farewell.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByText('Your account and everything in it were deleted.').waitFor();
  await page.waitForURL(BASE_URL + '/');
  await page.getByRole('link', { name: 'Log in' }).waitFor();
  await shot(page, '17-account-deleted');
  assert.equal((await page.request.get(oldImage)).status(), 404, 'media links handed out before are 404');
  expectedStatuses.add(401);
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Email or password is wrong.').waitFor();
  expectedStatuses.delete(401);

  assert.deepEqual(problems, [], 'no page errors, console errors or failed requests');
  console.log(`browser test: PASS (faces: ${emotions.join(', ')}; screenshots in ${ARTIFACTS})`);
} catch (err) {
  console.error(`browser test: FAIL: ${err.stack ?? err}`);
  for (const [i, p] of browser.contexts().flatMap((c) => c.pages()).entries()) {
    await p.screenshot({ path: path.join(ARTIFACTS, `failure-${i}.png`), fullPage: true }).catch(() => undefined);
    console.error(`failure-${i}.png: ${p.url()}`);
  }
  if (problems.length) console.error(problems.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}
