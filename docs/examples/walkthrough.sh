#!/usr/bin/env bash
# The commands of docs/authenticating.md, docs/configuring-webhooks.md, docs/rotating-credentials.md, docs/first-steps.md
# and docs/deliveries.md, runnable end to end against a running suite (. .keyhook/env first, or any environment with
# the same variables). docs/examples/commands.tsv says which documented command each step runs. The build
# runs this very file against the e2e suite (DocsCommandsE2ETest), so the commands in the docs cannot rot unnoticed.
# Needs curl and python3. Prints "OK: <step>" per step; stops at the first answer that is not the documented one.
set -euo pipefail
: "${KEYHOOK_TOKEN_URL:?run . .keyhook/env first}" "${KEYHOOK_CREDENTIALS_URL:?}" "${KEYHOOK_WEBHOOKS_URL:?}"
: "${KEYHOOK_DISPATCHER_URL:?}"
: "${KEYHOOK_OPERATOR_CLIENT_ID:?}" "${KEYHOOK_OPERATOR_CLIENT_SECRET:?}"
RECEIVER_URL="${RECEIVER_URL:-http://127.0.0.1:9/keyhook}"   # the local profile allows loopback http receivers

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
# expect <status> <curl args...>: runs curl, fails unless the HTTP status is the documented one; body -> $BODY
expect() {
  local want=$1; shift
  local out; out=$(curl -s -w '\n%{http_code}' "$@")
  BODY=${out%$'\n'*}; local got=${out##*$'\n'}
  [[ "$got" == "$want" ]] || { echo "FAILED: expected $want, got $got: curl $* -> $BODY" >&2; exit 1; }
}

# --- authenticating.md: an admin token for the operator
TOKEN=$(curl -s -u "$KEYHOOK_OPERATOR_CLIENT_ID:$KEYHOOK_OPERATOR_CLIENT_SECRET" -d grant_type=client_credentials \
  "$KEYHOOK_TOKEN_URL" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
expect 200 -H "Authorization: Bearer $TOKEN" "$KEYHOOK_CREDENTIALS_URL/api/v1/environments"
echo "OK: operator token"

# --- an Environment to work in (platform operator)
H=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')
ENV=docs-$(python3 -c 'import secrets; print(secrets.token_hex(4))')
expect 201 "${H[@]}" -X PUT -d '{"dataTypes":["patients","encounters"]}' "$KEYHOOK_CREDENTIALS_URL/api/v1/configurations/$ENV"
expect 201 "${H[@]}" -d "{\"id\":\"$ENV\",\"name\":\"Docs walkthrough\",\"configuration\":\"$ENV\"}" \
  "$KEYHOOK_CREDENTIALS_URL/api/v1/environments"
W=$KEYHOOK_WEBHOOKS_URL/api/v1/environments/$ENV
C=$KEYHOOK_CREDENTIALS_URL/api/v1/environments/$ENV
for _ in $(seq 1 50); do   # webhook-config-service learns the Environment from Kafka a moment later
  [[ $(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "$W/notification-types") == 200 ]] && break; sleep 0.2
done
expect 200 "${H[@]}" "$W/notification-types"
[[ "$BODY" == *'"patients.updated"'* && "$BODY" == *'"encounters.created"'* ]]
echo "OK: Environment $ENV and its notification types"

# --- first-steps.md: an integration admin for the Environment, who logs in and sees only it
expect 201 "${H[@]}" -d "{\"name\":\"Docs integration admin\",\"groups\":[\"integration-admin\"],
  \"environments\":[\"$ENV\"]}" "$KEYHOOK_CREDENTIALS_URL/api/v1/admin-clients"
ADMIN_ID=$(json "d['clientId']" <<<"$BODY"); ADMIN_SECRET=$(json "d['secret']['value']" <<<"$BODY")
for _ in $(seq 1 50); do   # token-service learns the new client from Kafka (or asks credentials-service) at once
  ADMIN_TOKEN=$(curl -s -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$KEYHOOK_TOKEN_URL" |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("access_token",""))')
  [[ -n "$ADMIN_TOKEN" ]] && break; sleep 0.2
done
expect 200 -H "Authorization: Bearer $ADMIN_TOKEN" "$C/clients"
expect 403 -H "Authorization: Bearer $ADMIN_TOKEN" "$KEYHOOK_CREDENTIALS_URL/api/v1/admin-clients"
[[ "$BODY" == *platform-operator* ]]
echo "OK: integration admin $ADMIN_ID for $ENV"

# --- configuring-webhooks.md, 0-2: from here the Environment's integration admin, not the operator: its own token
AH=(-H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json')
expect 200 "${AH[@]}" "$W/notification-types"
# a client whose secret signs the webhook
expect 201 "${AH[@]}" -d '{"name":"Webhook signing"}' "$C/clients"
CLIENT_ID=$(json "d['clientId']" <<<"$BODY"); SEC_A=$(json "d['secret']['id']" <<<"$BODY")
SECRET_A=$(json "d['secret']['value']" <<<"$BODY")
echo "OK: client $CLIENT_ID with secret $SEC_A"

# --- authenticating.md: the app's tokens, every documented way
CLIENT_SECRET=$SECRET_A
expect 200 -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$KEYHOOK_TOKEN_URL"
expect 200 -d grant_type=client_credentials -d client_id="$CLIENT_ID" --data-urlencode client_secret="$CLIENT_SECRET" \
  "$KEYHOOK_TOKEN_URL"
expect 200 -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=read "$KEYHOOK_TOKEN_URL"
expect 200 -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials --data-urlencode 'scope=system/patients.rs system/encounters.read' "$KEYHOOK_TOKEN_URL"
[ "$(json "d['scope']" <<<"$BODY")" = "system/patients.rs system/encounters.read" ] || { echo "FAIL: scope $BODY"; exit 1; }
expect 200 -H 'Content-Type: application/json' -d "{\"apiClient\":\"$CLIENT_ID\",\"secret\":\"$CLIENT_SECRET\"}" \
  "${KEYHOOK_TOKEN_URL%/oauth2/token}/auth/token"
expect 401 -u "$CLIENT_ID:wrong" -d grant_type=client_credentials "$KEYHOOK_TOKEN_URL"
echo "OK: client_secret_basic, client_secret_post, scope, /auth/token; a wrong secret is refused"

# --- authenticating.md: registering a public key (private_key_jwt): no secret, keys listed, replaced by PATCH
X=11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo   # an Ed25519 public key (RFC 8037); the docs make one with openssl
expect 201 "${H[@]}" -d "{\"name\":\"Backend service\",\"authMethod\":\"private_key_jwt\",\"jwks\":{\"keys\":[
  {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"backend-2026-12\",\"alg\":\"EdDSA\",\"x\":\"$X\"}]}}" "$C/clients"
PK_CLIENT_ID=$(json "d['clientId']" <<<"$BODY")
[[ $(json "d['authMethod'], d['keys'][0]['kid'], 'secret' in d" <<<"$BODY") == "('private_key_jwt', 'backend-2026-12', False)" ]]
expect 409 "${H[@]}" -X POST "$C/clients/$PK_CLIENT_ID/secrets"
[[ "$BODY" == *client_uses_private_key_jwt* ]]
JWKS_URI="${JWKS_URI:-http://127.0.0.1:9/jwks.json}"   # the local profile allows loopback http, as for webhooks
expect 201 "${H[@]}" -d "{\"name\":\"Backend service 2\",\"authMethod\":\"private_key_jwt\",\"jwksUri\":\"$JWKS_URI\"}" "$C/clients"
expect 200 "${H[@]}" -X PATCH -d "{\"jwksUri\":\"$JWKS_URI\"}" "$C/clients/$PK_CLIENT_ID"
expect 200 "${H[@]}" "$C/clients/$PK_CLIENT_ID"
[[ $(json "d['jwksUri'], d['keys']" <<<"$BODY") == "('$JWKS_URI', [])" ]]
expect 409 "${H[@]}" -X PATCH -d '{"authMethod":"client_secret"}' "$C/clients/$PK_CLIENT_ID"
echo "OK: private_key_jwt client $PK_CLIENT_ID: jwks, jwksUri, no secret, PATCH"

# --- rotating-credentials.md, Rotating keys: the guided key rotation of an inline key
expect 201 "${H[@]}" -d "{\"name\":\"Backend service 3\",\"authMethod\":\"private_key_jwt\",\"jwks\":{\"keys\":[
  {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"backend-2026-12\",\"alg\":\"EdDSA\",\"x\":\"$X\"}]}}" "$C/clients"
KEY_CLIENT_ID=$(json "d['clientId']" <<<"$BODY")
NEW_X=PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw   # another Ed25519 public key (RFC 8032)
expect 201 "${H[@]}" -d "{\"oldKid\":\"backend-2026-12\",\"newKey\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",
  \"kid\":\"backend-2027-01\",\"alg\":\"EdDSA\",\"x\":\"$NEW_X\"}}" "$C/clients/$KEY_CLIENT_ID/key-rotations"
ROTATION_ID=$(json "d['id']" <<<"$BODY")
[[ $(json "d['status'], [c['name'] for c in d['checks']]" <<<"$BODY") == "('open', ['new_key_used', 'old_key_quiet'])" ]]
expect 200 "${H[@]}" "$C/clients/$KEY_CLIENT_ID"
[[ $(json "[k['kid'] for k in d['keys']]" <<<"$BODY") == "['backend-2026-12', 'backend-2027-01']" ]]
expect 200 "${H[@]}" "$C/clients/$KEY_CLIENT_ID/key-rotations/$ROTATION_ID"
expect 200 "${H[@]}" "$C/clients/$KEY_CLIENT_ID/key-rotations"
expect 409 "${H[@]}" -X POST "$C/clients/$KEY_CLIENT_ID/key-rotations/$ROTATION_ID/finish"
[[ "$BODY" == *rotation_not_verified* ]]   # nobody signed with the new key yet
expect 200 "${H[@]}" -d '{"override":true,"reason":"docs walkthrough: no app behind this client"}' \
  "$C/clients/$KEY_CLIENT_ID/key-rotations/$ROTATION_ID/finish"
[[ $(json "d['status'], d['override']['reason']" <<<"$BODY") == "('finished', 'docs walkthrough: no app behind this client')" ]]
expect 200 "${H[@]}" "$C/clients/$KEY_CLIENT_ID"
[[ $(json "[k['kid'] for k in d['keys']]" <<<"$BODY") == "['backend-2027-01']" ]]
echo "OK: guided key rotation $ROTATION_ID of $KEY_CLIENT_ID: start, checks, refused finish, override"

# --- authenticating.md, Scopes: a client allowed less gets exactly that, for its own lifetime
expect 201 "${H[@]}" -d '{"name":"Lab feed","scopes":["system/patients.rs"],"tokenLifetimeSeconds":300}' "$C/clients"
LAB_ID=$(json "d['clientId']" <<<"$BODY"); LAB_SECRET=$(json "d['secret']['value']" <<<"$BODY")
expect 200 -u "$LAB_ID:$LAB_SECRET" -d grant_type=client_credentials "$KEYHOOK_TOKEN_URL"
[ "$(json "d['scope'], d['expires_in']" <<<"$BODY")" = "('system/patients.rs', 300)" ] || { echo "FAIL: $BODY"; exit 1; }
expect 400 -u "$LAB_ID:$LAB_SECRET" -d grant_type=client_credentials -d scope=system/encounters.read "$KEYHOOK_TOKEN_URL"
[ "$(json "d['error']" <<<"$BODY")" = invalid_scope ] || { echo "FAIL: $BODY"; exit 1; }
expect 400 "${H[@]}" -d '{"name":"Bad","scopes":["system/invoices.read"]}' "$C/clients"
[ "$(json "d['code'], d['scope']" <<<"$BODY")" = "('scope_unknown_data_type', 'system/invoices.read')" ] || exit 1
echo "OK: scopes and token lifetime of a client, invalid_scope, a scope of no data type refused"

# --- configuring-webhooks.md, 3-5 (as the integration admin): the webhook, a test event, its deliveries
expect 201 "${AH[@]}" -d "{\"url\":\"$RECEIVER_URL\",\"notificationTypes\":[\"patients.updated\",\"encounters.created\"],
  \"security\":{\"method\":\"standard-webhooks\",\"secretIds\":[\"$SEC_A\"]}}" "$W/webhooks"
WH=$(json "d['id']" <<<"$BODY")
DP=$KEYHOOK_DISPATCHER_URL/api/v1/environments/$ENV
for _ in $(seq 1 50); do   # the dispatcher learns the new webhook from Kafka a moment later
  [[ $(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "${AH[@]}" "$DP/webhooks/$WH/test") != 404 ]] && break
  sleep 0.2
done
expect 200 "${AH[@]}" -X POST -d '{}' "$DP/webhooks/$WH/test"
[[ $(json "'messageId' in d and 'delivered' in d and 'latencyMs' in d" <<<"$BODY") == True ]]
expect 200 "${AH[@]}" "$DP/webhooks/$WH/deliveries?status=failed"
[[ "$BODY" == *'"items"'* ]]
echo "OK: as the integration admin: webhook $WH, a test event, its deliveries"
# opt-in, pause/resume, audit
expect 422 "${H[@]}" -X PATCH -d '{"notificationTypes":["patients.*"]}' "$W/webhooks/$WH"     # exact types only
expect 200 "${H[@]}" -X PATCH -d '{"notificationTypes":["patients.updated","patients.deleted"]}' "$W/webhooks/$WH"
expect 200 "${H[@]}" -X POST "$W/webhooks/$WH/pause"
expect 200 "${H[@]}" -X POST "$W/webhooks/$WH/resume"
expect 200 "${H[@]}" "$W/webhook-audit"
[[ "$BODY" == *webhook.pause* ]]
echo "OK: webhook $WH: opt-in, pause, resume, audit"

# --- rotating-credentials.md, by hand
expect 201 "${H[@]}" -X POST "$C/clients/$CLIENT_ID/secrets"
SEC_B=$(json "d['id']" <<<"$BODY"); SECRET_B=$(json "d['value']" <<<"$BODY")
expect 200 -u "$CLIENT_ID:$SECRET_B" -d grant_type=client_credentials "$KEYHOOK_TOKEN_URL"
expect 409 "${H[@]}" -X POST "$C/clients/$CLIENT_ID/secrets/$SEC_A/invalidate"
[[ "$BODY" == *secret_in_use* ]]
expect 200 "${H[@]}" -X PATCH -d "{\"security\":{\"method\":\"standard-webhooks\",\"secretIds\":[\"$SEC_A\",\"$SEC_B\"]}}" \
  "$W/webhooks/$WH"
expect 200 "${H[@]}" -X PATCH -d "{\"security\":{\"method\":\"standard-webhooks\",\"secretIds\":[\"$SEC_B\"]}}" \
  "$W/webhooks/$WH"
expect 200 "${H[@]}" -X POST "$C/clients/$CLIENT_ID/secrets/$SEC_A/invalidate"
echo "OK: rotation by hand ($SEC_A -> $SEC_B)"

# --- rotating-credentials.md, guided
expect 201 "${H[@]}" -d "{\"clientId\":\"$CLIENT_ID\",\"secretId\":\"$SEC_B\"}" "$W/rotations"
ROT=$(json "d['id']" <<<"$BODY"); SEC_C=$(json "d['newSecret']['id']" <<<"$BODY")
expect 200 "${H[@]}" "$W/webhooks/$WH"
[[ "$BODY" == *"$SEC_B"* && "$BODY" == *"$SEC_C"* ]]
# verified: the checks (a ping signed with the new secret alone, the old secret's quiet period) are run and shown;
# the app used the old secret moments ago, so this walkthrough finishes with a recorded override
expect 200 "${H[@]}" -X POST "$W/rotations/$ROT/checks"
[[ $(json "'passed' in d['checks'] and 'app' in d['checks'] and 'receiver' in d['checks']" <<<"$BODY") == True ]]
expect 422 "${H[@]}" -X POST -d '{"override":true}' "$W/rotations/$ROT/finish"
[[ "$BODY" == *override_reason_required* ]]
expect 200 "${H[@]}" -X POST -d '{"override":true,"reason":"walkthrough: app and receiver switched by hand"}' \
  "$W/rotations/$ROT/finish"
[[ $(json "d['state'], d['checks']['override']['reason']" <<<"$BODY") == "('done', 'walkthrough: app and receiver switched by hand')" ]]
expect 200 "${H[@]}" "$W/rotations/$ROT"
echo "OK: guided rotation $ROT ($SEC_B -> $SEC_C)"

# --- deliveries.md: the Environment's dropped events, the webhook's pending deliveries, attempt now
expect 200 -H "Authorization: Bearer $TOKEN" "$KEYHOOK_DISPATCHER_URL/api/v1/environments/$ENV/dropped-events"
[[ "$BODY" == *'"items"'* ]]
D=$KEYHOOK_DISPATCHER_URL/api/v1/environments/$ENV/webhooks/$WH/deliveries
expect 200 -H "Authorization: Bearer $TOKEN" "$D?status=pending"
[[ $(json "d['breaker']['state']" <<<"$BODY") == closed ]]
expect 404 -X POST -H "Authorization: Bearer $TOKEN" "$D/dl_doesnotexist/attempt-now"   # no such delivery
echo "OK: delivery log of $WH, dropped events of $ENV"

# --- configuring-webhooks.md: delete releases the secrets
expect 204 "${H[@]}" -X DELETE "$W/webhooks/$WH"
expect 200 "${H[@]}" -X POST "$C/clients/$CLIENT_ID/secrets/$SEC_C/invalidate"
echo "OK: webhook deleted, its secret released and invalidated"
