"""`flask mail-sink`: the local SMTP server that takes the mail of a development instance without a relay
(make run starts it): each message is kept under instance/mail/ as an .eml file and logged in one line."""
from __future__ import annotations

import time
from email import message_from_bytes, policy
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _


class KeepMail:
    """An aiosmtpd handler: every message accepted and written to a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.count += 1
        content = envelope.original_content or envelope.content
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{self.count:05d}.eml"
        (self.folder / name).write_bytes(content)
        mail = message_from_bytes(content, policy=policy.default)
        click.echo(f"{', '.join(envelope.rcpt_tos)}: {mail['Subject']} ({name})")
        return "250 Message accepted"


@click.command("mail-sink")
@click.option("--port", type=int, default=None, help="端口（默认 MAIL_SINK_PORT，8025）")
@with_appcontext
def mail_sink(port: int | None) -> None:
    """Take the instance's mail on 127.0.0.1 and keep it under instance/mail/ (no mail leaves the machine)."""
    from aiosmtpd.controller import Controller  # only this command needs the server

    folder = Path(current_app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    port = port or int(current_app.config["MAIL_SINK_PORT"])
    controller = Controller(KeepMail(folder), hostname="127.0.0.1", port=port)
    controller.start()
    click.echo(_("本地邮件接收已启动：127.0.0.1:%(port)s，邮件保存在 %(folder)s。按 Ctrl-C 停止。",
                 port=port, folder=folder))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


COMMANDS = (mail_sink,)
