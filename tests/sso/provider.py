"""Start the OpenID Connect provider in oidc_provider.mjs as a separate process on loopback, for the SSO tests."""

import json
import os
import select
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
PACKAGE = Path(__file__).resolve().parents[2] / "node_modules" / "oidc-provider"
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str

    def portal_settings(self):
        """What an administrator would set from the provider's discovery document (see the README)."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_uri,
            "OIDC_OP_ISSUER": self.issuer,
            "AUTHENTICATION_BACKENDS": [
                "axes.backends.AxesStandaloneBackend",
                "portal.oidc.DirectoryOIDCBackend",
                "portal.backends.StaffBackend",
            ],
        }


@contextmanager
def running_provider(*, redirect_uri, accounts, client_id="social-media-portal", client_secret="test-client-secret"):
    """Yield a RunningProvider that knows one client (the portal) and the given accounts: {login: {email, name}}."""
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        raise RuntimeError("The SSO tests need Node.js and the npm packages: run `npm ci` (make test does).")
    config = {
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": redirect_uri,
        "accounts": accounts,
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [node, str(SCRIPT)],
            env={**os.environ, "SSO_TEST_PROVIDER": json.dumps(config)},
            stdout=subprocess.PIPE,
            stderr=log,
        )
        try:
            ready, _, _ = select.select([process.stdout], [], [], STARTUP_SECONDS)
            line = process.stdout.readline() if ready else b""
            if not line:
                log.seek(0)
                raise RuntimeError(f"The OpenID Connect provider did not start:\n{log.read().decode()}")
            issuer = json.loads(line)["issuer"]
            discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
            yield RunningProvider(
                issuer=issuer,
                client_id=client_id,
                client_secret=client_secret,
                authorization_endpoint=discovery["authorization_endpoint"],
                token_endpoint=discovery["token_endpoint"],
                userinfo_endpoint=discovery["userinfo_endpoint"],
                jwks_uri=discovery["jwks_uri"],
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
