from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import AuditEvent
from app.models.users import utcnow
from app.services import auth
from app.services.errors import Invalid
from app.services.users import hash_password
from config import ProductionConfig
from tests.conftest import PASSWORD, production_env


def sign_in(email, password, now=None):
    """One sign-in request: authenticate, then the commit that ends every request."""
    user = auth.authenticate(email, password, now)
    db.session.commit()
    return user


def test_production_hashes_with_scrypt(monkeypatch):
    production_env(monkeypatch)
    with create_app(ProductionConfig).app_context():
        assert hash_password(PASSWORD).startswith("scrypt:32768:8:1$")
        assert auth._dummy_hash().startswith("scrypt:32768:8:1$")


def test_the_test_configuration_hashes_cheaply():
    assert hash_password(PASSWORD).startswith("pbkdf2:sha256:1000$")
    assert auth._dummy_hash().startswith("pbkdf2:sha256:1000$")


def test_right_credentials_sign_in_and_record_the_time(make_user, real_hashing):
    user = make_user(email="ana@banco.es", password_hash=real_hashing)
    assert sign_in("  ANA@banco.es ", PASSWORD) == user
    assert user.last_login_at is not None


def test_unknown_email_wrong_password_and_inactive_accounts_all_fail_alike(make_user, real_hashing):
    make_user(email="ana@banco.es", password_hash=real_hashing)
    make_user(email="old@banco.es", active=False, password_hash=real_hashing)
    assert auth._dummy_hash().startswith("scrypt:")  # an unknown email costs a scrypt check too
    assert sign_in("nobody@banco.es", PASSWORD) is None
    assert sign_in("ana@banco.es", "wrong-password-123") is None
    assert sign_in("old@banco.es", PASSWORD) is None


def test_ten_failures_lock_the_account_for_fifteen_minutes(make_user):
    user = make_user(email="ana@banco.es")
    now = utcnow()
    for attempt in range(9):
        assert sign_in("ana@banco.es", f"wrong-{attempt}-password", now) is None
    assert user.locked_until is None
    assert sign_in("ana@banco.es", "wrong-final-password", now) is None
    assert user.locked_until == now + timedelta(minutes=15)
    # Even the right password is refused while locked...
    assert sign_in("ana@banco.es", PASSWORD, now + timedelta(minutes=14)) is None
    # ...and accepted once the lock has expired.
    assert sign_in("ana@banco.es", PASSWORD, now + timedelta(minutes=15, seconds=1)) == user
    assert user.failed_logins == 0
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.locked")).all()
    assert [e.target for e in events] == [f"user:{user.id}"]


def test_a_success_resets_the_failure_count(make_user):
    user = make_user(email="ana@banco.es")
    for attempt in range(5):
        sign_in("ana@banco.es", f"wrong-{attempt}-password")
    assert user.failed_logins == 5
    sign_in("ana@banco.es", PASSWORD)
    assert user.failed_logins == 0


def test_changing_a_password_checks_the_current_one_and_the_policy(make_user, real_hashing):
    user = make_user(email="ana@banco.es", must_change_password=True, password_hash=real_hashing)
    with pytest.raises(Invalid) as wrong:
        auth.change_password(user, "not-it-at-all", "a-brand-new-passphrase")
    assert "current_password" in wrong.value.errors
    with pytest.raises(Invalid) as short:
        auth.change_password(user, PASSWORD, "short")
    assert "new_password" in short.value.errors
    with pytest.raises(Invalid) as email:
        auth.change_password(user, PASSWORD, "ANA@banco.es")
    assert "new_password" in email.value.errors
    with pytest.raises(Invalid) as same:
        auth.change_password(user, PASSWORD, PASSWORD)
    assert "new_password" in same.value.errors
    auth.change_password(user, PASSWORD, "a-brand-new-passphrase")
    assert user.password_hash.startswith("scrypt:")
    assert not user.must_change_password
    db.session.commit()  # the end of the password-change request
    assert sign_in("ana@banco.es", "a-brand-new-passphrase") == user


def test_a_sign_in_refuses_to_discard_earlier_writes_of_its_request(make_user):
    user = make_user(email="ana@banco.es")
    user.name = "Ana María"
    db.session.flush()
    with pytest.raises(RuntimeError):
        auth.authenticate("ana@banco.es", PASSWORD)
    assert user.name == "Ana María"


def test_the_password_is_checked_outside_any_transaction(make_user, monkeypatch):
    make_user(email="ana@banco.es")
    checked_in_transaction = []
    real_check = auth.check_password_hash

    def check(stored, password):
        checked_in_transaction.append(db.session().in_transaction())
        return real_check(stored, password)

    monkeypatch.setattr(auth, "check_password_hash", check)
    assert sign_in("ana@banco.es", PASSWORD) is not None
    assert sign_in("nobody@banco.es", PASSWORD) is None
    assert checked_in_transaction == [False, False]
