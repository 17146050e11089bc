// One client_credentials request with openid-client, as an app would make it. Input (environment): TOKEN_URL, ISSUER,
// CLIENT_ID, CLIENT_SECRET, AUTH ("post" for client_secret_post, "basic" for client_secret_basic). Prints one JSON
// line: {"token": true} or what the library's error says ({"name", "error", "status"}).
import * as client from 'openid-client';

const secret = process.env.CLIENT_SECRET;
const auth = process.env.AUTH === 'basic' ? client.ClientSecretBasic(secret) : client.ClientSecretPost(secret);
const config = new client.Configuration(
  { issuer: process.env.ISSUER, token_endpoint: process.env.TOKEN_URL }, process.env.CLIENT_ID, undefined, auth);
client.allowInsecureRequests(config);
try {
  const tokens = await client.clientCredentialsGrant(config, { scope: 'read' });
  console.log(JSON.stringify({ token: typeof tokens.access_token === 'string' }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, error: e.error ?? null, status: e.status ?? null }));
}
