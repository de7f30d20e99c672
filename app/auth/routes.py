"""Sign in, sign out, change password; choose one from an invitation or a reset link."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.access import public, signed_in
from app.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm
from app.domain.redirects import is_local_path
from app.extensions import limiter
from app.forms import show_errors
from app.services import auth, invitations, tokens
from app.services.errors import Invalid

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    return "account:" + request.form.get("email", "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    failed = False
    if form.validate_on_submit():
        user = auth.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            target = form.next.data if is_local_path(form.next.data) else url_for("main.home")
            return redirect(target)
        failed = True
    return render_template("auth/login.html", form=form, failed=failed), (401 if failed else 200)


@bp.route("/logout", methods=["POST"])
@signed_in(before_password_change=True)
def logout():
    auth.sign_out(current_user)
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in(before_password_change=True)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(current_user, form.current_password.data, form.new_password.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            login_user(current_user._get_current_object())  # this session continues with the new token
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


def _reset_account_key() -> str:
    return "reset:" + request.form.get("email", "").strip().lower()


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["RESET_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_reset_account_key)
def request_reset():
    """The same answer whether or not the address has an account: the page reveals nobody."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        invitations.request_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/password/<any(invitation, reset):purpose>/<token>", methods=["GET", "POST"])
@public
def set_password(purpose: str, token: str):
    user, problem = tokens.read(token, purpose)
    if user is None:
        return render_template("auth/link_problem.html", purpose=purpose, problem=problem), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            invitations.set_password(user, purpose, form.new_password.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            if current_user.is_authenticated and current_user.id != user.id:
                logout_user()
            login_user(user)
            flash(_("Your password is saved. Welcome to Cartera."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/set_password.html", form=form, user=user, purpose=purpose)
