"""Administration: users, roles and scope, the org-unit tree, CSV import, the audit log."""

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.access import roles
from app.admin.forms import ImportForm, OrgUnitForm, SyntheticForm, UserForm
from app.domain.people import ROLES
from app.forms import ActionForm, beyond_last_page, int_arg, last_page_url, link_args, show_errors
from app.services import audit, invitations, jobs, org, outbox, synthetic_bank, user_import, users
from app.services.errors import Invalid
from app.transactions import audited_read

bp = Blueprint("admin", __name__)


def _form_data(form: UserForm) -> users.UserData:
    return users.UserData(
        email=form.email.data,
        name=form.name.data,
        career_level=form.career_level.data or None,
        org_unit_id=form.org_unit_id.data or None,
        locale=form.locale.data or None,
        active=form.active.data,
        roles=set(form.roles.data or []),
        scope_unit_ids=set(form.scope_unit_ids.data or []),
    )


def _no_store(html: str):
    """Pages that show a temporary password must not stay in any cache or history."""
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
@roles("admin")
def index():
    return redirect(url_for("admin.users_list"))


@bp.route("/users")
@roles("admin")
def users_list():
    args = request.args
    active = {"yes": True, "no": False}.get(args.get("active", ""))
    filters = users.UserFilters(
        search=args.get("q", ""),
        role=args.get("role", "") if args.get("role") in ROLES else "",
        org_unit_id=int_arg("unit"),
        active=active,
    )
    page = users.list_users(filters, int_arg("page", 1), current_app.config["USERS_PER_PAGE"])
    shown = link_args(
        q=filters.search,
        role=filters.role,
        unit=filters.org_unit_id,
        active={True: "yes", False: "no"}.get(filters.active),
    )
    if beyond_last_page(page):
        return redirect(last_page_url(page, shown))
    units = org.labelled_units()
    return render_template(
        "admin/users.html",
        page=page,
        filters=filters,
        active_arg=args.get("active", ""),
        link_args=shown,
        units=units,
        unit_names={unit.id: label for unit, label in units},
        roles=ROLES,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles("admin")
def user_new():
    form = UserForm()
    form.set_unit_choices(org.labelled_units())
    if form.validate_on_submit():
        try:
            user, _none = users.create_user(current_user, _form_data(form), invited=True)
        except Invalid as error:
            show_errors(form, error)
        else:
            invitations.invite(user)
            flash(_("%(name)s was created and invited by email to choose a password.", name=user.name), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles("admin")
def user_edit(user_id: int):
    user = users.get_user(user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    form.set_unit_choices(org.labelled_units())
    if request.method == "GET":
        form.org_unit_id.data = user.org_unit_id or 0
        form.career_level.data = user.career_level or ""
        form.locale.data = user.locale or ""
        form.roles.data = sorted(user.roles)
        form.scope_unit_ids.data = [row.org_unit_id for row in user.scope_rows]
    if form.validate_on_submit():
        try:
            users.update_user(current_user, user, _form_data(form))
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Changes to %(name)s saved.", name=user.name), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user, action_form=ActionForm())


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles("admin")
def user_deactivate(user_id: int):
    user = users.get_user(user_id)
    if ActionForm().validate_on_submit():
        try:
            users.deactivate(current_user, user)
        except Invalid as error:
            flash(str(error.errors[""][0]), "danger")
        else:
            flash(_("%(name)s has been deactivated. Their history is kept.", name=user.name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles("admin")
def user_reset_password(user_id: int):
    user = users.get_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = users.set_temporary_password(current_user, user)
    return _no_store(render_template("admin/password_issued.html", user=user, password=password))


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles("admin")
def user_invite_again(user_id: int):
    user = users.get_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        invitations.invite_again(current_user, user)
    except Invalid as error:
        flash(str(error.errors[""][0]), "danger")
    else:
        flash(_("A new invitation is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/outbox")
@roles("admin")
def outbox_list():
    messages, total = outbox.page()
    return render_template("admin/outbox.html", messages=messages, total=total)


@bp.route("/outbox/<int:message_id>")
@roles("admin")
@audited_read
def outbox_message(message_id: int):
    """A message may hold a link that sets its reader's password: who read it is recorded."""
    message = outbox.get(message_id)
    audit.record(current_user, "outbox.read", f"message:{message.id}", to=message.to, kind=message.kind)
    return _no_store(render_template("admin/outbox_message.html", message=message))


@bp.route("/outbox/<int:message_id>/html")
@roles("admin")
@audited_read
def outbox_html(message_id: int):
    """The message's HTML part as its reader's mail program would show it, in a sandbox: no script,
    no form, nothing fetched."""
    message = outbox.get(message_id)
    audit.record(current_user, "outbox.read", f"message:{message.id}", to=message.to, kind=message.kind)
    response = make_response(message.html)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/synthetic", methods=["GET", "POST"])
@roles("admin")
def synthetic():
    """Synthetic managers for a demonstration or a benchmark, generated by a job (never in production)."""
    if current_app.config.get("CONFIG_NAME") == "production":
        abort(404)
    form = SyntheticForm()
    if form.validate_on_submit():
        job = synthetic_bank.start_generate(current_user, form.managers.data, form.months.data, form.seed.data)
        return redirect(url_for("jobs.show", job_id=job.id))
    return render_template("admin/synthetic.html", form=form, existing=synthetic_bank.existing_managers())


@bp.route("/org-units", methods=["GET", "POST"])
@roles("admin")
def org_units():
    labelled = org.labelled_units()
    form = OrgUnitForm()
    form.parent_id.choices = [SelectChoice(0, _("Nothing (a new bank)"))] + [
        SelectChoice(unit.id, label) for unit, label in labelled if unit.kind != "branch"
    ]
    if form.validate_on_submit():
        # The select only accepts listed units, so the parent exists.
        parent = org.get_unit(form.parent_id.data) if form.parent_id.data else None
        try:
            unit = org.add_unit(current_user, form.name.data, parent)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Unit %(name)s added.", name=unit.name), "success")
            return redirect(url_for("admin.org_units"))
    children: dict[int | None, list] = {}
    for unit, _label in labelled:
        children.setdefault(unit.parent_id, []).append(unit)
    return render_template("admin/org_units.html", children=children, form=form)


@bp.route("/import", methods=["GET", "POST"])
@roles("admin")
def import_users():
    form = ImportForm()
    preview = None
    text = ""
    filename = ""
    if form.validate_on_submit():
        try:
            if form.file.data:
                filename = form.file.data.filename or ""
                text = user_import.decode(form.file.data.read())
            else:
                text = form.pasted.data or ""
        except Invalid as error:
            show_errors(form, error)
        else:
            preview = user_import.preview(text, current_user)
    staged = None
    if preview is not None and preview.ok:
        staged = user_import.stage(current_user, text, filename, rows=len(preview.planned))
    return render_template(
        "admin/import.html",
        form=form,
        preview=preview,
        staged=staged,
        confirm=ActionForm(),
        message=user_import.message,
    )


@bp.route("/import/<int:job_id>/confirm", methods=["POST"])
@roles("admin")
def import_confirm(job_id: int):
    """The previewed file (kept on the server, not sent back) is imported by a job; its page shows
    the progress. Confirming twice starts it once."""
    if not ActionForm().validate_on_submit():
        abort(400)
    job = jobs.visible(current_user, job_id)
    if job.kind != "users.import" or job.owner_id != current_user.id:
        abort(404)
    jobs.confirm(job)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/audit")
@roles("admin")
def audit_log():
    action = request.args.get("action", "")
    events = audit.page_of_events(int_arg("page", 1), current_app.config["AUDIT_PER_PAGE"], action)
    actions = audit.known_actions()
    shown = link_args(action=action if action in actions else None)
    if beyond_last_page(events):
        return redirect(last_page_url(events, shown))
    return render_template("admin/audit.html", events=events, action=action, actions=actions, link_args=shown)
