// private_key_jwt against token-service with clients nobody here wrote. Input (environment): TOKEN_URL (where to send
// requests), ISSUER, AUDIENCE (the token endpoint as the metadata publishes it), CLIENT_ID, EC_JWK and RSA_JWK (the
// client's private keys as JWKs, each with its kid). Prints one JSON line of results.
//  - openid-client 6's PrivateKeyJwt client authentication with the EC (ES384) and the RSA (RS384) key;
//  - Inferno's SMART Backend Services checks (its test kit is Ruby), with assertions signed by jose: a wrong grant_type
//    is 400, a wrong client_assertion_type is 400, a wrong iss is 400 or 401, and a valid request is 200 with
//    access_token, token_type, expires_in and scope.
import * as client from 'openid-client';
import * as jose from 'jose';

const env = process.env;
const ecJwk = JSON.parse(env.EC_JWK);
const rsaJwk = JSON.parse(env.RSA_JWK);
const results = {};

async function openidClient(jwk, alg) {
  const key = await jose.importJWK(jwk, alg);
  const config = new client.Configuration({ issuer: env.ISSUER, token_endpoint: env.TOKEN_URL }, env.CLIENT_ID,
    undefined, client.PrivateKeyJwt({ key, kid: jwk.kid }));
  client.allowInsecureRequests(config);
  try {
    const tokens = await client.clientCredentialsGrant(config);
    return { token: typeof tokens.access_token === 'string', expires_in: tokens.expires_in ?? null };
  } catch (e) {
    return { name: e.name, error: e.error ?? null, status: e.status ?? null };
  }
}

// as Inferno builds it: header alg, kid, typ JWT; iss = sub = client id, aud = the token endpoint, exp 5 min, jti
async function assertion(jwk, alg, iss) {
  const key = await jose.importJWK(jwk, alg);
  return new jose.SignJWT({})
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(iss).setSubject(iss).setAudience(env.AUDIENCE)
    .setExpirationTime('5m').setJti(crypto.randomUUID())
    .sign(key);
}

async function tokenRequest(fields) {
  const response = await fetch(env.TOKEN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const body = await response.json();
  return { status: response.status, error: body.error ?? null, keys: Object.keys(body).sort(), body };
}

const TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
results.openidClientEc = await openidClient(ecJwk, 'ES384');
results.openidClientRsa = await openidClient(rsaJwk, 'RS384');

const wrongGrant = await tokenRequest({ grant_type: 'not_a_grant_type', client_assertion_type: TYPE,
  client_assertion: await assertion(ecJwk, 'ES384', env.CLIENT_ID) });
results.wrongGrantType = { status: wrongGrant.status, error: wrongGrant.error };
const wrongType = await tokenRequest({ grant_type: 'client_credentials', client_assertion_type: 'not_an_assertion_type',
  client_assertion: await assertion(ecJwk, 'ES384', env.CLIENT_ID) });
results.wrongAssertionType = { status: wrongType.status, error: wrongType.error };
const wrongIss = await tokenRequest({ grant_type: 'client_credentials', client_assertion_type: TYPE,
  client_assertion: await assertion(ecJwk, 'ES384', 'not_a_client_id') });
results.wrongIss = { status: wrongIss.status, error: wrongIss.error };
for (const [name, jwk, alg] of [['validEc', ecJwk, 'ES384'], ['validRsa', rsaJwk, 'RS384']]) {
  const valid = await tokenRequest({ grant_type: 'client_credentials', client_assertion_type: TYPE,
    client_assertion: await assertion(jwk, alg, env.CLIENT_ID) });
  results[name] = { status: valid.status, keys: valid.keys, token_type: valid.body.token_type ?? null,
    expires_in: valid.body.expires_in ?? null, scope: typeof valid.body.scope === 'string' };
}
console.log(JSON.stringify(results));
