"""Behind the reverse proxy docs/deploy.md prescribes, limits key on the real client (issue 13.6)."""

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app
from app.extensions import limiter
from config import ProductionConfig, TestConfig


@pytest.fixture
def behind_one_proxy(app, client):
    """The session's app as production runs it: one trusted proxy in front (TRUSTED_PROXIES=1)."""
    direct = app.wsgi_app
    app.wsgi_app = ProxyFix(direct, x_for=1, x_proto=1)
    limiter.reset()
    try:
        yield client
    finally:
        app.wsgi_app = direct
        limiter.reset()


def failed_sign_in(client, n: int, forwarded_for: str) -> int:
    data = {"email": f"person{n}@example.com", "password": "wrong-password"}
    # The proxy connects from 127.0.0.1 and appends the address it saw to X-Forwarded-For.
    return client.post("/auth/login", data=data, headers={"X-Forwarded-For": forwarded_for}).status_code


def test_two_clients_behind_the_same_proxy_do_not_share_a_limit(behind_one_proxy):
    client = behind_one_proxy
    assert [failed_sign_in(client, n, "198.51.100.7") for n in range(30)] == [401] * 30
    assert failed_sign_in(client, 30, "198.51.100.7") == 429  # this client has used its 30
    assert failed_sign_in(client, 31, "198.51.100.8") == 401  # the next one has not


def test_a_forged_forwarded_for_changes_nothing(behind_one_proxy):
    client = behind_one_proxy
    for n in range(30):
        # The client writes its own X-Forwarded-For; the proxy appends the address it really saw.
        assert failed_sign_in(client, n, f"203.0.113.{n}, 198.51.100.7") == 401
    assert failed_sign_in(client, 30, "203.0.113.99, 198.51.100.7") == 429


def test_the_number_of_trusted_proxies_comes_from_configuration():
    class OneProxy(TestConfig):
        TRUSTED_PROXIES = 1

    assert isinstance(create_app(OneProxy).wsgi_app, ProxyFix)
    assert not isinstance(create_app(TestConfig).wsgi_app, ProxyFix)


def test_production_sends_hsts_and_development_does_not(app, client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    app.config["HSTS_SECONDS"] = ProductionConfig.HSTS_SECONDS
    try:
        assert client.get("/healthz").headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        app.config["HSTS_SECONDS"] = 0
