// A real OpenID Connect provider for the test suite (testing/oidc.py starts it on 127.0.0.1).
//
// The certified `oidc-provider` package does the protocol: discovery, the authorization code flow
// with PKCE (required here for every client), signed ID tokens, refresh tokens and RP-initiated
// logout. Only the accounts are the test's: ACCOUNTS_FILE is a JSON object, read again on every
// lookup, so a test can add an account or disable one while the provider runs:
//
//   {"login name": {"password": "...", "claims": {"email": ..., "tid": ..., "hd": ...},
//                   "amr": ["pwd", "mfa"], "acr": "...", "disabled": false}}
//
// The login page is a plain form of this provider (name + password); consent is implied, as in a
// tenant whose administrator consented for the whole organisation.
import http from 'node:http';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsFile = process.env.ACCOUNTS_FILE;
const clients = JSON.parse(process.env.CLIENTS);

function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const provider = new Provider(issuer, {
  clients,
  cookies: { keys: ['test-only-cookie-key'] },
  claims: {
    // acr and amr in every ID token (Entra ID sends amr in its v1.0 tokens; a test sets them per account).
    openid: ['sub', 'tid', 'hd', 'oid', 'acr', 'amr'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  // The scope's claims go into the ID token itself, as Entra ID and Google put them there.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  // A refresh token for every code grant: the portal re-checks the account with it. An account
  // disabled in ACCOUNTS_FILE is not found any more, so its refresh fails with invalid_grant.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  expiresWithSession: async () => false,
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account || account.disabled) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account.claims };
      },
    };
  },
});

function page(res, body, status = 200) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><html lang="en"><head><title>Test provider</title></head><body><main>${body}</main></body></html>`);
}

function loginForm(uid, error = '') {
  return `<h1>Test provider: sign in</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Account <input name="login" autocomplete="off"></label>
<label>Provider password <input name="password" type="password"></label>
<button type="submit">Sign in at provider</button></form>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    if (action !== 'login' || req.method !== 'POST') {
      page(res, loginForm(uid));
      return;
    }
    const form = await readForm(req);
    const login = form.get('login') || '';
    const account = accounts()[login];
    if (!account || account.disabled || (account.password || 'secret') !== form.get('password')) {
      page(res, loginForm(uid, 'Unknown account or wrong password.'), 400);
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: login, amr: account.amr, acr: account.acr },
    }, { mergeWithLastSubmission: false });
    return;
  }
  // consent: granted for the whole organisation.
  let grant;
  if (details.grantId) {
    grant = await provider.Grant.find(details.grantId);
  } else {
    grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  }
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

// Entra ID grants offline_access (a refresh token) without prompt=consent; oidc-provider drops the
// scope unless consent is asked. Ask it here (the consent step above grants it at once), so the
// refresh token carries the scope the portal requested and refreshes with.
provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' && ctx.method === 'GET' && (ctx.query.scope || '').split(' ').includes('offline_access')) {
    const query = new URLSearchParams(ctx.querystring);
    const prompts = new Set((query.get('prompt') || '').split(' ').filter(Boolean));
    prompts.add('consent');
    query.set('prompt', [...prompts].join(' '));
    ctx.querystring = query.toString();
  }
  await next();
});

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = new URL(req.url, issuer).pathname.match(/^\/interaction\/([^/]+)(?:\/(login))?$/);
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (error) {
    page(res, `<p>${escape(error.message)}</p>`, 400);
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
