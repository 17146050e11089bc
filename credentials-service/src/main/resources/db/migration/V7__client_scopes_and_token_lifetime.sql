-- issue 30: an API client's allowed scopes (comma-separated, each checked against the scope grammar, which has no
-- comma; null = any scope of its Configuration's data types, as before) and its token lifetime (null = token-service's
-- default; token-service caps it with its own maximum)
alter table clients add column scopes text;
alter table clients add column token_lifetime_seconds bigint
    check (token_lifetime_seconds is null or token_lifetime_seconds between 60 and 86400);
