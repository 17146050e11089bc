// Sign-in through an external OpenID Connect provider in a real browser: the provider (a stub on another site,
// 127.0.0.1 against the console's localhost) sends the browser back cross-site, and the SameSite cookies must still
// carry the sign-in through. Run by e2e-tests' ConsoleOidcE2ETest with CONSOLE_URL (an OIDC-enabled console).
import { launch } from './browser.mjs';
import assert from 'node:assert/strict';

const { CONSOLE_URL } = process.env;
assert.ok(CONSOLE_URL, 'CONSOLE_URL is not set');
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${CONSOLE_URL}/sign-in`);
  await page.getByRole('link', { name: 'Sign in with Clinic SSO' }).click();
  await page.waitForURL(/\/environments$/);
  assert.match(await page.textContent('.who'), /dana@clinic\.example/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in\?signed-out$/);
  console.log('OIDC SIGN-IN PASSED');
} finally {
  await browser.close();
}
