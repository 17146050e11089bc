// Runs the complete Node receiver of docs/verifying-webhooks.md (its ```js block with createServer), as printed.
// Input (environment): PORT, KEYHOOK_SIGNING_SECRETS (comma-separated). It prints "received <type> <eventId>" for each
// verified delivery; e2e-tests' VerifyingDocsE2ETest sends it real deliveries and forged ones.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const page = readFileSync(path.join(here, '../../verifying-webhooks.md'), 'utf8');
const receivers = [...page.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes('createServer'));
if (receivers.length !== 1) {
  console.error(`expected one js receiver on the page, found ${receivers.length}`);
  process.exit(2);
}
mkdirSync(path.join(here, 'generated'), { recursive: true });
const file = path.join(here, 'generated', 'receiver.mjs');
writeFileSync(file, receivers[0]);
await import(pathToFileURL(file).href);
console.log(`listening on ${process.env.PORT}`);
