"""Services tests: each in a rolled-back transaction; a real SMTP server for the mail tests."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask_mailman import Mail


@pytest.fixture(autouse=True)
def _each_test_in_a_rolled_back_transaction(database):
    """Tests here touch the database; nothing they write outlives them."""


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("bounce@"):
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.received.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """An SMTP server on a fixed port that can be stopped and started again."""

    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(app, monkeypatch):
    """The app sends through SMTP to a server listening here."""
    server = Server(free_port())
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port, "MAIL_BACKEND": "smtp"}
    monkeypatch.setitem(app.extensions, "mailman", Mail.init_mail(config))
    server.start()
    try:
        yield server
    finally:
        server.stop()
