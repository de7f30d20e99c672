import pytest

from app import create_app
from config import INSECURE_DEV_KEY, ConfigError, ProductionConfig, config_from_env
from tests.conftest import production_env


@pytest.mark.parametrize(
    ("secret", "url", "complaint"),
    [
        (None, "postgresql+psycopg://db/cartera", "SECRET_KEY"),
        (INSECURE_DEV_KEY, "postgresql+psycopg://db/cartera", "SECRET_KEY"),
        ("x" * 40, None, "DATABASE_URL"),
        ("x" * 40, "sqlite:///cartera.db", "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_and_postgresql(monkeypatch, secret, url, complaint):
    for name, value in (("SECRET_KEY", secret), ("DATABASE_URL", url)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=complaint):
        create_app(ProductionConfig)


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("JOBS_URL", None, "JOBS_URL"),
        ("JOBS_URL", "sqlite:///jobs.db", "JOBS_URL"),  # one host's file: other hosts' workers never see it
        ("PUBLIC_URL", None, "PUBLIC_URL"),
        ("PUBLIC_URL", "http://cartera.bank.example", "PUBLIC_URL"),  # e-mailed links must be https
    ],
)
def test_production_refuses_to_start_without_shared_jobs_and_a_public_https_address(
    monkeypatch, name, value, complaint
):
    production_env(monkeypatch)
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=complaint):
        create_app(ProductionConfig)


def test_production_starts_with_both_and_secures_cookies(monkeypatch):
    production_env(monkeypatch)
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]


def test_the_config_is_chosen_by_name(monkeypatch):
    monkeypatch.setenv("CARTERA_CONFIG", "testing")
    assert config_from_env().CONFIG_NAME == "testing"
    monkeypatch.setenv("CARTERA_CONFIG", "staging")
    with pytest.raises(ConfigError, match="staging"):
        config_from_env()
    monkeypatch.delenv("CARTERA_CONFIG")
    assert config_from_env().CONFIG_NAME == "development"
