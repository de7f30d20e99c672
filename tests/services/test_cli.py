"""The CLI commands, run through Flask's CLI runner against the test database."""

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services import auth


def test_users_create_reads_the_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "Eva@Banco.es", "--name", "Eva", "--role", "trainer", "--password-stdin"],
        input="a-long-enough-secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created eva@banco.es (trainer)" in result.output
    assert "a-long-enough-secret" not in result.output
    user = auth.authenticate("eva@banco.es", "a-long-enough-secret")
    assert user is not None and not user.must_change_password


def test_users_create_generates_and_prints_a_temporary_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "leo@banco.es",
            "--name",
            "Leo",
            "--role",
            "manager",
            "--career-level",
            "junior",
            "--org-unit",
            "Banco/Norte/Bilbao",
        ]
    )
    assert result.exit_code == 0, result.output
    password = result.output.rsplit(": ", 1)[1].strip()
    user = auth.authenticate("leo@banco.es", password)
    assert user.must_change_password
    assert user.org_unit.name == "Bilbao" and user.org_unit.kind == "branch"


def test_users_create_explains_a_refusal(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "x@banco.es", "--name", "X", "--role", "hr", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code != 0
    assert "12 characters" in result.output or "12 caracteres" in result.output
    assert db.session.scalar(select(User).where(User.email == "x@banco.es")) is None


def test_demo_seed_prints_the_accounts_and_refuses_production(app, monkeypatch):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "hr.north@demo.cartera" in result.output and "cartera-demo-2026" in result.output
    monkeypatch.setitem(app.config, "CONFIG_NAME", "production")
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code != 0 and "production" in refused.output


def test_demo_generate_reports_what_it_made_and_refuses_production(app, content_bank, monkeypatch):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "generate", "--managers", "4", "--months", "2"])
    assert result.exit_code == 0, result.output
    assert "Generated 4 managers in 1 branch," in result.output
    again = runner.invoke(args=["demo", "generate", "--managers", "4", "--once"])
    assert again.exit_code == 0 and "4 synthetic managers exist already: nothing generated." in again.output
    monkeypatch.setitem(app.config, "CONFIG_NAME", "production")
    refused = runner.invoke(args=["demo", "generate", "--managers", "4"])
    assert refused.exit_code != 0 and "production" in refused.output


def test_demo_generate_without_content_says_to_sync_first(app):
    result = app.test_cli_runner().invoke(args=["demo", "generate", "--managers", "1"])
    assert result.exit_code != 0 and "flask content sync" in result.output
