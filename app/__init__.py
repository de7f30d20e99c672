"""Application factory: it reads config and wires extensions, blueprints and CLI. No I/O."""

from __future__ import annotations

import os

from flask import Flask

from config import Config, config_from_env


def create_app(config_class: type[Config] | None = None) -> Flask:
    config_class = config_class or config_from_env()
    config_class.validate()

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    configure_proxies(app)
    os.makedirs(app.instance_path, exist_ok=True)  # the default SQLite database lives there

    configure_extensions(app)
    configure_blueprints(app)
    configure_transactions(app)
    configure_request_hooks(app)
    configure_cli(app)
    return app


def configure_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies the client's address and scheme come from their
    X-Forwarded-For/-Proto headers (the last hops only), so rate limits key on the real client.
    The URL converters are set here too, before any route is declared."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app.security import DatabaseInt

    app.url_map.converters["int"] = DatabaseInt
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def configure_extensions(app: Flask) -> None:
    from app import (
        models,  # noqa: F401  (registers the models on the metadata)
        queue,
    )
    from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from app.i18n import select_locale

    db.init_app(app)
    with app.app_context():  # creates the engine object only; it connects on first use
        from app import postgres, sqlite

        sqlite.configure(db.engine)
        postgres.configure(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    queue.init_app(app)

    from app.access import unauthorized
    from app.services.users import load_user

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.session_protection = "strong"


def configure_blueprints(app: Flask) -> None:
    from app.access import public_view
    from app.admin.routes import bp as admin_bp
    from app.api.routes import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.authoring_pages.routes import bp as authoring_bp
    from app.errors import register_error_handlers
    from app.grading_pages.routes import bp as grading_bp
    from app.hr.routes import bp as hr_bp
    from app.jobs_pages.routes import bp as jobs_bp
    from app.learner.routes import bp as learner_bp
    from app.main.routes import bp as main_bp
    from app.people_pages.routes import bp as people_bp
    from app.people_pages.routes import moved as people_moved_bp
    from app.trainer.routes import bp as trainer_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(learner_bp, url_prefix="/learn")
    app.register_blueprint(trainer_bp, url_prefix="/train")
    app.register_blueprint(grading_bp, url_prefix="/train/grading")
    app.register_blueprint(authoring_bp, url_prefix="/train/author")
    app.register_blueprint(hr_bp, url_prefix="/hr")
    app.register_blueprint(people_bp, url_prefix="/people")  # trainers and HR
    app.register_blueprint(people_moved_bp)  # /hr/people… and /train/people…, redirecting to /people
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(jobs_bp, url_prefix="/jobs")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.view_functions["static"] = public_view(app.view_functions["static"])
    register_error_handlers(app)


def configure_transactions(app: Flask) -> None:
    from app import transactions
    from app.services import jobs

    transactions.configure(app)
    jobs.configure()  # queue messages leave after the commit that stores what they name


def configure_request_hooks(app: Flask) -> None:
    from app import formats
    from app.access import enforce
    from app.domain.dates import day_text
    from app.security import add_security_headers, refuse_nul_bytes
    from app.services.content_messages import localise
    from app.ui import cells, inject_shell, rich, rich_inline, rounded, typed_number

    app.before_request(refuse_nul_bytes)
    app.before_request(enforce)
    app.after_request(add_security_headers)
    app.context_processor(inject_shell)
    app.add_template_filter(typed_number)
    app.add_template_filter(rounded)
    app.add_template_filter(cells)
    # The bank's order and clock, in both languages.
    for name in ("dateformat", "datetimeformat", "timeformat", "waited"):
        app.add_template_filter(getattr(formats, name), name)
    app.add_template_filter(day_text, "day")
    app.add_template_filter(rich)
    app.add_template_filter(rich_inline)
    app.add_template_filter(localise, "content_message")


def configure_cli(app: Flask) -> None:
    from app.cli import register_cli

    register_cli(app)
