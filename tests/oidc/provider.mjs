// A real OpenID provider for the dashboard's sign-in browser test (tests/test_sign_in_browser.py).
//
// It is `oidc-provider` (an OpenID Certified implementation) with one confidential client,
// three accounts and a small sign-in and consent interaction; tokens, discovery, PKCE and
// RP-initiated logout are the library's own. Nothing is stored: it all lives in memory.
//
//   OIDC_PORT=9000 OIDC_CLIENT_ID=dashboard OIDC_CLIENT_SECRET=s3cret \
//   OIDC_REDIRECT_URI=http://localhost:8501/oauth2callback node provider.mjs
//
// The port may also be given as the first argument. Once it listens it prints
// "oidc-provider ready: http://localhost:PORT" (the issuer); the discovery document is at
// http://localhost:PORT/.well-known/openid-configuration.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`provider.mjs: set ${name}`);
    process.exit(2);
  }
  return value;
}

const port = Number(process.argv[2] || process.env.OIDC_PORT || 0);
if (!Number.isInteger(port) || port <= 0) {
  console.error('provider.mjs: give the port as the first argument or in OIDC_PORT');
  process.exit(2);
}
const issuer = `http://localhost:${port}`;
const redirectUri = required('OIDC_REDIRECT_URI');

// The people the dashboard's test signs in as; the roles are the dashboard's business
// (COMMITMENTS_RECORDERS, COMMITMENTS_REVIEWERS), not the provider's.
const ACCOUNTS = {
  'reader@example.org': { name: 'Rea Reader' },
  'ana@example.org': { name: 'Ana Recorder' },
  'lead@example.org': { name: 'Lee Lead' },
};

function htmlSafe(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${htmlSafe(title)}</title>
<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}label,input,button{display:block;margin:.5em 0}</style>
</head>
<body><h1>${htmlSafe(title)}</h1>
${body}
</body>
</html>`;
}

// Streamlit's st.login asks for prompt=select_account by default. oidc-provider refuses a
// prompt its interaction policy does not name ("unsupported prompt value requested"), so the
// policy gets one, first; the sign-in page below answers it and the login prompt together.
const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

const configuration = {
  clients: [
    {
      client_id: required('OIDC_CLIENT_ID'),
      client_secret: required('OIDC_CLIENT_SECRET'),
      client_name: 'Commitment verification (test)',
      redirect_uris: [redirectUri],
      // st.logout sends the user back to the redirect URI after the provider's sign-out.
      post_logout_redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Streamlit reads the user from the ID token only (it never calls the userinfo endpoint), so
  // the ID token carries the scopes' claims, as Google's, Entra ID's and Keycloak's do.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: account.name };
      },
    };
  },
  // A confidential client must still use PKCE here; Streamlit sends S256.
  pkce: { required: () => true },
  interactions: {
    policy,
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // Short lives, set rather than left to the defaults (which log a notice each).
  ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page(
          'Sign out',
          `${form}<p>Sign out of the test provider?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
        );
      },
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<pre>${htmlSafe(JSON.stringify(out, null, 2))}</pre>`);
  },
};

const provider = new Provider(issuer, configuration);
const handleOidc = provider.callback();

async function formBody(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function signInPage(uid, error = '') {
  const known = Object.keys(ACCOUNTS).map((email) => `<li>${htmlSafe(email)}</li>`).join('');
  return page(
    'Sign in',
    `<form method="post" action="/interaction/${htmlSafe(uid)}/login" autocomplete="off">
${error ? `<p role="alert">${htmlSafe(error)}</p>` : ''}
<label for="login">Email address</label>
<input id="login" name="login" type="email" required autofocus>
<button type="submit">Sign in</button>
</form>
<p>Accounts here:</p><ul>${known}</ul>
<p><a href="/interaction/${htmlSafe(uid)}/abort">Cancel</a></p>`,
  );
}

function consentPage(uid, client, details) {
  const scopes = (details.missingOIDCScope || []).map((s) => `<li>${htmlSafe(s)}</li>`).join('');
  const claims = (details.missingOIDCClaims || []).map((c) => `<li>${htmlSafe(c)}</li>`).join('');
  return page(
    'Authorize',
    `<p>${htmlSafe(client.clientName || client.clientId)} asks for:</p>
<ul>${scopes}</ul>${claims ? `<p>and the claims:</p><ul>${claims}</ul>` : ''}
<form method="post" action="/interaction/${htmlSafe(uid)}/confirm">
<button type="submit">Allow</button>
</form>
<p><a href="/interaction/${htmlSafe(uid)}/abort">Deny</a></p>`,
  );
}

// /interaction/<uid>[/login|/confirm|/abort]: the sign-in and consent pages; the rest is oidc-provider's.
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, page('Sign-in error', '<p>This sign-in has expired; start again.</p>'));
    return;
  }
  const { prompt, params, session, grantId } = details;

  if (req.method === 'GET' && action === undefined) {
    if (prompt.name === 'consent') {
      const client = await provider.Client.find(params.client_id);
      send(res, 200, consentPage(uid, client, prompt.details));
    } else {
      send(res, 200, signInPage(uid));
    }
    return;
  }

  if (req.method === 'POST' && action === 'login' && prompt.name !== 'consent') {
    const email = (await formBody(req)).get('login')?.trim().toLowerCase() ?? '';
    if (!ACCOUNTS[email]) {
      send(res, 200, signInPage(uid, `No account ${email} here.`));
      return;
    }
    // Choosing the account and signing in to it are one step on this provider.
    const result = { select_account: {}, login: { accountId: email } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }

  if (req.method === 'POST' && action === 'confirm' && prompt.name === 'consent') {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const result = { consent: { grantId: await grant.save() } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
    return;
  }

  if (req.method === 'GET' && action === 'abort') {
    const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }

  send(res, 405, page('Sign-in error', '<p>Not here.</p>'));
}

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url, issuer);
  const found = pathname.match(/^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/);
  if (!found) {
    handleOidc(req, res);
    return;
  }
  interaction(req, res, found[1], found[2]).catch((err) => {
    console.error(err);
    if (!res.headersSent) send(res, 400, page('Sign-in error', `<p>${htmlSafe(err.message)}</p>`));
  });
});

server.listen(port, () => {
  console.log(`oidc-provider ready: ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
