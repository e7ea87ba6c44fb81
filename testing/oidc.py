"""A real OpenID Connect provider on 127.0.0.1: the certified Node package ``oidc-provider``.

``oidc_provider(redirect_uris=[...])`` starts ``testing/oidc_provider/server.mjs`` under node on a
free port with one confidential client (``portal`` / ``OidcProvider.CLIENT_SECRET``, PKCE required)
and returns an ``OidcProvider``: its ``issuer``, and ``account(login, **claims)`` /
``disable(login)``, which write the accounts file the provider reads on every lookup. A test signs in
at the provider's own login page (fields "Account" and "Provider password"); the portal talks to it
over HTTP exactly as to Entra ID or Google: discovery, authorization code + PKCE, token, JWKS,
refresh, end session. Its packages are installed from the npm registry (``npm ci``) the first time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .services import PROJECT_ROOT, free_port, require_service, wait_until

PROVIDER_DIR = PROJECT_ROOT / "testing" / "oidc_provider"


def _node_ready() -> bool:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PROVIDER_DIR,
            check=False,
            timeout=300,
        )
    return (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir()


class OidcProvider:
    CLIENT_ID = "portal"
    CLIENT_SECRET = "test-only-client-secret"
    PASSWORD = "provider-password"

    def __init__(self, directory: Path, *, redirect_uris: list[str], post_logout_redirect_uris: list[str]):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = directory / f"oidc-accounts-{self.port}.json"
        self.accounts: dict[str, dict] = {}
        self._write()
        self.log = directory / f"oidc-provider-{self.port}.log"
        client = {
            "client_id": self.CLIENT_ID,
            "client_secret": self.CLIENT_SECRET,
            "redirect_uris": redirect_uris,
            "post_logout_redirect_uris": post_logout_redirect_uris,
            "grant_types": ["authorization_code", "refresh_token"],
        }
        env = {**os.environ, "PORT": str(self.port), "ACCOUNTS_FILE": str(self.accounts_file)}
        env["CLIENTS"] = json.dumps([client])
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                ["node", "server.mjs"], cwd=PROVIDER_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(self._answers, timeout=30, what=f"oidc-provider on {self.issuer} (log: {self.log})")

    def _answers(self) -> bool:
        import urllib.request

        if self.process.poll() is not None:
            pytest.fail(f"oidc-provider exited: {self.log.read_text()}")
        try:
            with urllib.request.urlopen(f"{self.issuer}/.well-known/openid-configuration", timeout=1) as answer:
                return answer.status == 200
        except OSError:
            return False

    def _write(self) -> None:
        temporary = self.accounts_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.accounts))
        temporary.replace(self.accounts_file)

    def account(self, login: str, *, amr: list[str] | None = None, acr: str | None = None, **claims) -> str:
        """Add (or replace) an account the provider signs in as ``login`` (its ``sub``), with ``claims``
        in its ID token and ``amr``/``acr`` as the methods it says were used. Returns ``login``."""
        self.accounts[login] = {"password": self.PASSWORD, "claims": claims, "amr": amr or ["pwd"], "acr": acr}
        self._write()
        return login

    def disable(self, login: str) -> None:
        """The board disables the account: the provider no longer finds it (refresh: invalid_grant)."""
        self.accounts[login]["disabled"] = True
        self._write()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def oidc_provider(tmp_path):
    """Factory: ``oidc_provider(redirect_uris=[...], post_logout_redirect_uris=[...])`` starts a
    provider (more than one may run: one plays Microsoft, another Google); all stop after the test."""
    require_service(_node_ready(), "node with the npm package oidc-provider (testing/oidc_provider)")
    started: list[OidcProvider] = []

    def start(*, redirect_uris: list[str], post_logout_redirect_uris: list[str] | None = None) -> OidcProvider:
        provider = OidcProvider(
            tmp_path, redirect_uris=redirect_uris, post_logout_redirect_uris=post_logout_redirect_uris or []
        )
        started.append(provider)
        return provider

    yield start
    for provider in started:
        provider.stop()
