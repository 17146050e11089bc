// The console in a real browser (Debian's Chromium, driven by playwright-core) against the real suite.
// Run by e2e-tests' ConsoleBrowserE2ETest, which starts everything and passes:
//   CONSOLE_URL, ADMIN_ID, ADMIN_SECRET, ENV, RECEIVER_URL (a receiver verifying every delivery),
//   PUBLISH_URL (publishes events to Kafka on POST /publish?n=N), SCREENSHOTS (a directory).
import { launch } from './browser.mjs';
import assert from 'node:assert/strict';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';

const { CONSOLE_URL, ADMIN_ID, ADMIN_SECRET, ENV, RECEIVER_URL, PUBLISH_URL, SCREENSHOTS } = process.env;
for (const [k, v] of Object.entries({ CONSOLE_URL, ADMIN_ID, ADMIN_SECRET, ENV, RECEIVER_URL, PUBLISH_URL, SCREENSHOTS })) {
  assert.ok(v, `${k} is not set`);
}

const step = (name) => console.log(`STEP ${name}`);
const shot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
const tab = (page, name) => page.getByRole('navigation', { name: 'Environment' }).getByRole('link', { name, exact: true }).click();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const receiver = (p, init) => fetch(RECEIVER_URL + p, init);
const stats = async () => (await receiver('/stats')).json();
const publish = async (n) => assert.equal((await fetch(`${PUBLISH_URL}/publish?n=${n}`, { method: 'POST' })).status, 200);

/** Reloads until `check` passes (deliveries and rotations move on their own). */
async function eventually(page, check, what, seconds = 40) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what}: ${e.message}`);
      await sleep(1000);
      await page.reload();
    }
  }
}

/** The receiver's verified count once it has stopped moving for a second and a half. */
async function settled() {
  let last = (await stats()).verified;
  for (;;) {
    await sleep(1500);
    const now = (await stats()).verified;
    if (now === last) return now;
    last = now;
  }
}

/** Waits until the receiver has verified at least `n` deliveries. */
async function receiverVerified(n, seconds = 40) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const s = await stats();
    assert.equal(s.failed, 0, 'the receiver failed to verify a delivery');
    if (s.verified >= n) return s;
    if (Date.now() > deadline) throw new Error(`the receiver verified ${s.verified} of ${n}`);
    await sleep(500);
  }
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE_URL });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept()); // confirmations ("Finish the rotation?") are accepted

  step('every page needs a session');
  await page.goto(`${CONSOLE_URL}/environments/${ENV}/credentials`);
  assert.match(page.url(), /\/sign-in$/);
  await shot(page, 'sign-in');

  step('sign in by keyboard');
  await page.locator('#clientId').focus();
  await page.keyboard.type(ADMIN_ID);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'clientSecret');
  await page.keyboard.type(ADMIN_SECRET);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/environments$/);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'keyhook_console');
  assert.ok(session && session.httpOnly && session.sameSite === 'Strict', 'HttpOnly, SameSite=Strict session cookie');
  assert.equal(await page.evaluate(() => document.cookie.includes('keyhook_console=')), false, 'scripts cannot read it');
  await page.getByRole('link', { name: 'Sandbox clinic' }).waitFor();
  assert.match(await page.textContent('main'), /never edit Configurations/);
  await shot(page, 'environments');

  step('the picker searches (by name, ignoring case), on the server');
  await page.getByLabel('Find an Environment').fill('SANDBOX CLI');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/environments\?q=SANDBOX\+CLI$/);
  await page.getByRole('link', { name: 'Sandbox clinic' }).waitFor();
  assert.match(await page.textContent('#environment-count'), /1 of \d+ Environments? match/);
  await page.getByLabel('Find an Environment').fill('no-such-environment');
  await page.keyboard.press('Enter');
  await page.locator('#no-environments').waitFor();
  await page.getByRole('link', { name: 'Show all' }).click();
  await page.waitForURL(/\/environments$/);

  step('create a client and copy its secret');
  await page.getByRole('link', { name: 'Sandbox clinic' }).click();
  await page.waitForURL(/\/credentials$/);
  await page.getByLabel('Name').fill('Receiver signing');
  await page.getByRole('button', { name: 'Create client' }).click();
  await page.getByText('you will not see it again').waitFor();
  const secretA = await page.inputValue('#secret-value');
  assert.match(secretA, /^whsec_/);
  const secretAId = (await page.textContent('#created-secret-id')).trim();
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secretA, 'the secret is on the clipboard');
  await shot(page, 'credentials-new-secret');
  await page.reload();
  assert.equal(await page.locator('#secret-value').count(), 0, 'the secret is shown once, not on a reload');
  // the receiver's operator configures the key it verifies with
  assert.equal((await receiver(`/keys/${secretAId}`, { method: 'PUT', body: secretA })).status, 204);

  step('register a private_key_jwt client with a pasted JWKS; its page lists the key');
  await tab(page, 'Credentials');
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'backend-job-2026-12', alg: 'ES256' };
  await page.getByLabel('Name').fill('Backend job');
  await page.getByLabel(/private_key_jwt: the App signs/).check();
  await page.getByLabel('Pasted JWKS').check();
  await page.getByLabel('JWKS', { exact: true }).fill(JSON.stringify({ keys: [jwk] }));
  await page.getByRole('button', { name: 'Create client' }).click();
  await page.waitForURL(/\/clients\/cl_/);
  assert.equal((await page.locator('code.kid').textContent()).trim(), 'backend-job-2026-12');
  assert.match(await page.textContent('#keys'), /EC\/P-256/);
  await shot(page, 'client-keys');

  step('create a webhook');
  await tab(page, 'Webhooks');
  await page.getByRole('link', { name: 'Create a webhook' }).click();
  await page.getByLabel('Destination URL').fill('receiver.example.com/hooks');
  assert.match(await page.textContent('#url-message'), /not a URL yet/, 'the URL is checked as it is typed');
  await page.getByLabel('Destination URL').fill(`${RECEIVER_URL}/hooks`);
  assert.equal((await page.textContent('#url-message')).trim(), '');
  await page.getByLabel(/standard-webhooks/).check();
  await page.getByRole('checkbox', { name: new RegExp(secretAId) }).check();
  await page.getByRole('group', { name: 'patients' }).getByLabel('updated').check();
  assert.match(await page.textContent('main'), /never\s+selected automatically/);
  await shot(page, 'webhook-form');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.waitForURL(/\/webhooks\?done=created$/);
  const webhookRow = page.locator('tr[id^="webhook-"]');
  assert.equal(await webhookRow.count(), 1);
  const webhookId = (await webhookRow.getAttribute('id')).replace('webhook-', '');
  await shot(page, 'webhooks');

  step('the webhook limit shows before the form; a refused edit stays on a real page');
  // the suite allows one webhook per Environment: the list says so instead of offering the form
  assert.match(await page.textContent('#webhook-limit'), /as many webhooks as it may have/);
  assert.equal(await page.getByRole('link', { name: 'Create a webhook' }).count(), 0);
  await page.goto(`${CONSOLE_URL}/environments/${ENV}/webhooks/new`);
  assert.match(await page.textContent('#webhook-limit'), /as many webhooks as it may have/,
    'the form page says it before anything is filled in');
  assert.equal(await page.locator('#url').count(), 0, 'no form to fill in for nothing');
  await page.goto(`${CONSOLE_URL}/environments/${ENV}/webhooks/${webhookId}/edit`);
  await page.getByLabel('Destination URL').fill('https://10.20.30.40/hooks');
  await page.getByRole('button', { name: /Save/ }).click();
  await page.waitForURL(new RegExp(`/webhooks/${webhookId}/edit$`));
  assert.match(await page.textContent('.error'), /Destination URL/, 'the error names the field as the form does');
  assert.match(await page.textContent('#url-message'), /\S/, 'and shows next to it');
  assert.equal(await page.inputValue('#url'), 'https://10.20.30.40/hooks', 'what was typed is kept');
  const reloaded = await page.reload();
  assert.equal(reloaded.status(), 200, 'a reload shows the page again, it does not resend the action');
  assert.equal(await page.inputValue('#url'), `${RECEIVER_URL}/hooks`, 'the saved webhook, unchanged');
  await tab(page, 'Webhooks');

  step('publish events and see deliveries appear');
  // the dispatcher learns about the webhook from Kafka a moment after it is created: until then an event finds
  // nobody, so publish one at a time until the first arrives
  for (let i = 0; (await stats()).verified === 0; i++) {
    assert.ok(i < 30, 'no delivery within 30 s of creating the webhook');
    await publish(1);
    await sleep(1000);
  }
  await publish(4);
  await receiverVerified(5);
  await tab(page, 'Deliveries');
  await eventually(page, async () => {
    assert.ok(await page.locator('#deliveries .status-delivered').count() >= 5, 'five delivered rows');
  }, 'deliveries appear');
  assert.match(await page.locator('svg.chart').getAttribute('aria-label'), /[1-9]\d* delivered, 0 failed/);
  assert.match(await page.textContent('#deliveries'), /HTTP 204/, "each delivery shows the receiver's last answer");
  assert.match(await page.textContent('#deliveries'), /\d+ ms/, 'and its latency');
  await shot(page, 'deliveries');

  step('deliveries: filter, redeliver one, replay a range');
  await page.getByLabel('Status').selectOption('failed');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('#no-deliveries').waitFor();
  await page.getByLabel('Status').selectOption('delivered');
  await page.getByRole('button', { name: 'Show' }).click();
  let verified = (await stats()).verified;
  await page.locator('#deliveries').getByRole('button', { name: 'Redeliver' }).first().click();
  await page.getByText('Delivery queued again').waitFor();
  await receiverVerified(verified + 1);
  verified = (await stats()).verified;
  const hourAgo = new Date(Date.now() - 3600_000).toISOString().slice(0, 16);
  const inAMinute = new Date(Date.now() + 60_000).toISOString().slice(0, 16);
  await page.getByLabel('From (UTC)').fill(hourAgo);
  await page.getByLabel('To (UTC)').fill(inAMinute);
  await page.getByRole('button', { name: 'Replay' }).click();
  const replayed = Number((await page.getByText(/event\(s\) queued again/).textContent()).match(/(\d+) event/)[1]);
  assert.ok(replayed >= 5, `replayed ${replayed}`);
  await receiverVerified(verified + replayed);

  step('pause holds events, resume delivers them');
  await tab(page, 'Webhooks');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByText('Webhook paused').waitFor();
  // the dispatcher hears of the pause through Kafka a moment later; replays may still be arriving
  await sleep(2000);
  verified = await settled();
  await publish(2);
  await sleep(3000);
  assert.equal((await stats()).verified, verified, 'nothing arrives while paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByText('Webhook resumed').waitFor();
  await receiverVerified(verified + 2);

  step('the in-use secret cannot be invalidated, and the page says why');
  await tab(page, 'Credentials');
  const row = page.locator(`#secret-${secretAId}`);
  assert.ok(await row.getByRole('button', { name: 'Invalidate' }).isDisabled(), 'Invalidate is disabled');
  assert.match(await row.textContent(), new RegExp(`Held by webhook ${webhookId}`));
  await shot(page, 'credentials-in-use');

  step('rotation wizard: start');
  // the held secret's explanation leads to the wizard, with that secret chosen
  await tab(page, 'Credentials');
  await page.locator(`#secret-${secretAId}`).getByRole('link', { name: 'rotation wizard' }).click();
  await page.waitForURL(/\/rotations\/new\?/);
  const chosen = await page.locator('#secret option:checked').getAttribute('value');
  assert.ok(chosen.endsWith(`/${secretAId}`), `the wizard starts on ${secretAId}, not ${chosen}`);
  await page.getByRole('button', { name: 'Start the rotation' }).click();
  await page.getByText('copy it now, you will not see it again').waitFor();
  const secretB = await page.inputValue('#secret-value');
  const secretBId = (await page.locator('label[for="secret-value"] code').textContent()).trim();
  assert.match(secretB, /^whsec_/);
  assert.match(await page.textContent('#step-1'), /done/);
  assert.match(await page.textContent('#step-3'), /now/);
  await shot(page, 'rotation-started');
  const rotationUrl = page.url();

  step('rotation: during the overlap both secrets sign; the receiver adds the new key (step 3)');
  const before = (await stats()).verified;
  await publish(5);
  await receiverVerified(before + 5);
  assert.equal((await receiver(`/keys/${secretBId}`, { method: 'PUT', body: secretB })).status, 204);
  await tab(page, 'Credentials');
  assert.ok(await page.locator(`#secret-${secretAId}`).getByRole('button', { name: 'Invalidate' }).isDisabled(),
    'the old secret is still held during the overlap');

  step('rotation: finish');
  await tab(page, 'Rotation');
  await page.locator('a[href*="/rotations/rot_"]').first().click();
  // verified rotation: the receiver accepts a ping signed with the new secret alone; the App never used the old one
  await eventually(page, async () => {
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Check now' }).click()]);
    assert.match(await page.textContent('#check-receiver'), /✓/);
    assert.match(await page.textContent('#check-app'), /✓/);
  }, 'both checks pass');
  await shot(page, 'rotation-verified');
  await page.getByRole('button', { name: /Finish the rotation|Try finishing again/ }).click();
  await eventually(page, async () => {
    assert.equal((await page.textContent('#rotation-state')).trim(), 'done');
  }, 'the rotation is done');
  assert.match(await page.textContent('#step-7'), /done/);
  assert.match(await page.textContent('#step-6'), /now/);
  await shot(page, 'rotation-done');

  step('rotation: the receiver drops the old key (step 6); deliveries still verify');
  assert.equal((await receiver(`/keys/${secretAId}`, { method: 'DELETE' })).status, 204);
  const after = (await stats()).verified;
  await publish(5);
  await receiverVerified(after + 5);
  await tab(page, 'Credentials');
  assert.match(await page.locator(`#secret-${secretAId}`).textContent(), /invalidated/);
  assert.match(await page.locator(`#secret-${secretBId}`).textContent(), new RegExp(webhookId));

  step('audit');
  await tab(page, 'Audit');
  assert.match(await page.textContent('#audit'), /rotation\.finish|rotation\.done|secret\.invalidate/);
  await page.getByLabel('Action').fill('webhook.pause');
  await page.getByRole('button', { name: 'Filter' }).click();
  const actions = await page.locator('#audit tbody td[data-label="Action"]').allTextContents();
  assert.ok(actions.length >= 1 && actions.every((a) => a.includes('webhook.pause')), `filtered: ${actions}`);
  await page.getByLabel('Action').fill('');
  await page.getByRole('button', { name: 'Filter' }).click();
  await shot(page, 'audit');

  step('a narrow screen');
  await page.setViewportSize({ width: 390, height: 844 });
  await tab(page, 'Credentials');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
  await shot(page, 'narrow');
  await page.setViewportSize({ width: 1280, height: 800 });

  step('sign out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in\?signed-out$/);
  await page.goto(`${CONSOLE_URL}/environments/${ENV}/credentials`);
  assert.match(page.url(), /\/sign-in$/, 'signed out: pages need a session again');

  const s = await stats();
  console.log(`receiver: ${s.verified} verified, ${s.failed} failed`);
  console.log('ALL STEPS PASSED');
} finally {
  await browser.close();
}
