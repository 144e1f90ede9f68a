// A real OpenID Connect provider (npm oidc-provider) for the single sign-on tests, standing in for Microsoft Entra ID.
//
// Started by tests/sso/provider.py with its configuration as JSON in SSO_TEST_PROVIDER:
//   {"client_id", "client_secret", "redirect_uri", "accounts": {"<login>": {"email", "name", ...other claims}}}
// It listens on a free loopback port, signs ID tokens with a fresh RSA key (RS256, as Entra does) and prints one JSON
// line with its issuer once it is ready. The sign-in screen is the package's own development form; consent is
// granted up front, as an administrator does for an organisation's own applications.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.SSO_TEST_PROVIDER);
const SCOPES = 'openid email profile';

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const provider = new Provider(issuer, {
    clients: [{
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: [config.redirect_uri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'sso-test', use: 'sig', alg: 'RS256' }] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['sso-test-cookies'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, sub) {
      const person = config.accounts[sub];
      if (!person) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, email_verified: true, ...person };
        },
      };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
  });

  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

// The tests stop the provider with SIGTERM; close cleanly so no port is left behind.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
