"""Command-line tools: init-db, seed-demo, create-user. They speak the language of the environment (LANG)."""
from __future__ import annotations

import functools

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import refresh
from flask_migrate import upgrade

from .domain.errors import DomainError
from .domain.states import Role
from .extensions import db
from .i18n import refusal_text


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema to the latest migration."""
    upgrade()
    click.echo(_("数据库已迁移到最新版本。"))


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo: CIC8-NB judged to published results, CIC9-NB open for needs and bids (idempotent)."""
    from .demo import seed

    try:
        summary = seed()
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(refusal_text(e)) from e
    db.session.commit()
    for line in summary:
        click.echo(line)


@click.command("create-user")
@click.option("--role", type=click.Choice([Role.ORGANIZER.value, Role.JUDGE.value]), required=True,
              help="organizer or judge; firms and teams register themselves.")
@click.option("--username", prompt="用户名")
@click.option("--name", "display_name", prompt="姓名")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user(role: str, username: str, display_name: str, password: str) -> None:
    """Create an organizer or a judge account."""
    from .services.accounts import create_user as create

    try:
        create(None, role=Role(role), username=username, password=password, display_name=display_name)
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(refusal_text(e)) from e
    db.session.commit()
    click.echo(_("已创建用户 %(username)s（%(role)s）。", username=username, role=role))


def in_the_environment_language(command: click.Command) -> click.Command:
    """Make the command choose its language afresh from the environment each time it runs.

    Flask-Babel keeps the locale it selected on `g` for as long as the application context lives; a command
    run inside a context that is already open (tests invoking several commands, each with its own LANG)
    would otherwise speak the language of the first one.
    """
    callback = command.callback
    if getattr(callback, "in_the_environment_language", False):  # already wrapped (an earlier app)
        return command

    @functools.wraps(callback)
    def run(*args, **kwargs):
        refresh()
        return callback(*args, **kwargs)

    run.in_the_environment_language = True
    command.callback = run
    return command


def register(app: Flask) -> None:
    from .cli_contracts import COMMANDS as contract_commands
    from .cli_jobs import COMMANDS as job_commands
    from .cli_mail import COMMANDS as mail_commands
    from .cli_maintenance import COMMANDS as maintenance_commands
    from .cli_scale import COMMANDS as scale_commands

    for command in (init_db, seed_demo, create_user, *contract_commands, *maintenance_commands, *job_commands,
                    *scale_commands, *mail_commands):
        app.cli.add_command(in_the_environment_language(command))
