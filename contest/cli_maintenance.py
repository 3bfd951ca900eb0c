"""Command-line tools for operators: check (the integrity check), backup and restore."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .services.records.backup import BackupRefused


def report(violations: list) -> None:
    """One line per violation naming its object, then the summary; exit status 1 when any."""
    for violation in violations:
        click.echo(f"{violation.object}: {violation.message}")
    if violations:
        click.echo(f"检查完成：{len(violations)} 项问题")
        raise click.exceptions.Exit(1)
    click.echo("检查完成：未发现问题")


@click.command("check")
@with_appcontext
def check() -> None:
    """Verify the invariants (stored files, winners, instalments, issued PDFs, conflicts) and the audit chain;
    exit 1 on any violation. The chain's last event is printed: note it, and a later run that shows an earlier
    head means events were removed from the end (which the chain alone cannot show)."""
    from .services.records.chain import chain_head
    from .services.records.integrity import run_checks

    violations = run_checks()
    head = chain_head()
    click.echo(f"审计链末条：#{head.id} {head.hash}" if head else "审计链为空")
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
        raise click.ClickException(e.message) from e
    click.echo(f"数据库（{manifest['database']}，迁移版本 {manifest['alembic_revision']}）已备份到 "
               f"{out / manifest['database_file']}")
    click.echo(f"已备份 {manifest['files']} 个存储文件")
    click.echo(f"备份完成：{out}")


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
        raise click.ClickException(e.message) from e
    manifest = restored.manifest
    click.echo(f"数据库已从 {source} 恢复（{manifest['database']}，备份于 {manifest['created_at']}）")
    click.echo(f"已恢复 {restored.files} 个存储文件")
    if restored.left_out:
        click.echo(f"未恢复 {restored.left_out} 个没有对应记录的文件（备份数据库之后才写入）")
    report(run_checks())


COMMANDS = (check, backup, restore)
