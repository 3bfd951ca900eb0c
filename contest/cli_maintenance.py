"""Command-line tools for operators: check (the integrity check), backup and restore (in the language of the
environment, LANG)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .i18n import refusal_text
from .services.records.backup import BackupRefused


def report(violations: list) -> None:
    """One line per violation naming its object, then the summary; exit status 1 when any."""
    for violation in violations:
        click.echo(f"{violation.object}: {refusal_text(violation)}")
    if violations:
        click.echo(_("检查完成：%(count)s 项问题", count=len(violations)))
        raise click.exceptions.Exit(1)
    click.echo(_("检查完成：未发现问题"))


@click.command("check")
@with_appcontext
def check() -> None:
    """Verify the invariants (stored files, winners, instalments, issued PDFs, conflicts), the audit chain and
    its append-only triggers; exit 1 on any violation. The chain's last event is printed: note it, and a later run that shows an earlier
    head means events were removed from the end (which the chain alone cannot show)."""
    from .services.records.chain import chain_head
    from .services.records.integrity import run_checks

    violations = run_checks()
    head = chain_head()
    click.echo(_("审计链末条：#%(id)s %(hash)s", id=head.id, hash=head.hash) if head else _("审计链为空"))
    report(violations)


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="备份目录（须为新的或空的目录）")
@with_appcontext
def backup(out: Path) -> None:
    """Back up the database (consistently, while the app keeps writing) and then the stored files into DIR."""
    from .services.records.backup import backup as make_backup

    try:
        manifest = make_backup(out)
    except BackupRefused as e:
        raise click.ClickException(refusal_text(e)) from e
    click.echo(_("数据库（%(kind)s，迁移版本 %(revision)s）已备份到 %(path)s", kind=manifest["database"],
                 revision=manifest["alembic_revision"], path=out / manifest["database_file"]))
    click.echo(_("已备份 %(count)s 个存储文件", count=manifest["files"]))
    click.echo(_("备份完成：%(path)s", path=out))


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore(source: Path) -> None:
    """Restore a backup into this empty instance, then run the integrity check."""
    from .services.records.backup import restore as bring_back
    from .services.records.integrity import run_checks

    try:
        restored = bring_back(source)
    except BackupRefused as e:
        raise click.ClickException(refusal_text(e)) from e
    manifest = restored.manifest
    click.echo(_("数据库已从 %(source)s 恢复（%(kind)s，备份于 %(created_at)s）", source=source,
                 kind=manifest["database"], created_at=manifest["created_at"]))
    click.echo(_("已恢复 %(count)s 个存储文件", count=restored.files))
    if restored.left_out:
        click.echo(_("未恢复 %(count)s 个没有对应记录的文件（备份数据库之后才写入）", count=restored.left_out))
    report(run_checks())


COMMANDS = (check, backup, restore)
