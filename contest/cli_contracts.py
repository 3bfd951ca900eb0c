"""Command-line tools for contracts and figures: print-contracts (the batch PDF, or ZIP) and stats (in the
language of the environment, LANG)."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .domain.errors import DomainError
from .i18n import refusal_text
from .labels import label
from .models import Edition


def _edition(code: str) -> Edition:
    from .services.editions import edition_by_code

    edition = edition_by_code(code.strip().upper())
    if edition is None:
        raise click.ClickException(_("未找到届次 %(code)s", code=code))
    return edition


@click.command("print-contracts")
@click.option("--edition", "code", required=True, help="届次代码，如 CIC8-NB")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="输出的 PDF 文件；以 .zip 结尾时输出 ZIP，每份合同一个 PDF（适合合同较多的届次）")
@with_appcontext
def print_contracts(code: str, out: Path) -> None:
    """Write every issued or signed contract of the edition, as issued, in number order: one PDF, or with
    --out ending in .zip a ZIP of the stored PDFs, written one contract at a time (any number of contracts)."""
    from .services.contracts.batch import batch_pdf

    edition = _edition(code)
    if out.suffix.lower() == ".zip":
        _print_contracts_zip(edition, out)
        return
    printed: list[str] = []

    def progress(done: int, total: int, number: str) -> None:
        printed.append(number)
        click.echo(f"[{done}/{total}] {number}")

    try:
        content = batch_pdf(edition, progress)
    except DomainError as e:
        raise click.ClickException(refusal_text(e)) from e
    try:
        out.write_bytes(content)
    except OSError as e:
        raise click.ClickException(_("无法写入 %(path)s：%(reason)s", path=out, reason=e.strerror)) from e
    click.echo(_("已写入 %(path)s：%(edition)s 的 %(count)s 份合同（%(size)s 字节）。", path=out, edition=edition.code,
                 count=len(printed), size=f"{len(content):,}"))


def _print_contracts_zip(edition: Edition, out: Path) -> None:
    """The ZIP, written beside `out` under a temporary name and renamed once complete: a failed run leaves
    no half archive under the name asked for."""
    from .services.contracts.batch import write_contracts_zip

    def progress(done: int, total: int) -> None:
        click.echo(f"[{done}/{total}]")

    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("wb") as file:
            count = write_contracts_zip(edition, file, progress)
        partial.replace(out)
    except DomainError as e:
        partial.unlink(missing_ok=True)
        raise click.ClickException(refusal_text(e)) from e
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise click.ClickException(_("无法写入 %(path)s：%(reason)s", path=out, reason=e.strerror)) from e
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    click.echo(_("已写入 %(path)s：%(edition)s 的 %(count)s 份合同（%(size)s 字节）。", path=out, edition=edition.code,
                 count=count, size=f"{out.stat().st_size:,}"))


def _yuan(amount) -> str:
    return _("%(wan)s 万元（%(yuan)s 元）", wan=f"{amount / 10000:,.2f}", yuan=f"{amount:,.2f}")


def summary_lines(stats: dict) -> list[str]:
    """The figures as a readable summary, in the language of the environment."""
    lines = [
        _("%(name)s（%(code)s）", name=stats["edition_name"], code=stats["edition"]),
        _("征集需求 %(collected)s 项，发布 %(published)s 项，流榜 %(failed)s 项", collected=stats["needs_collected"],
          published=stats["needs_published"], failed=stats["failed_needs"]),
        _("挑战报告 %(bids)s 份，揭榜团队 %(teams)s 个，评审专家 %(judges)s 位", bids=stats["bids"], teams=stats["teams"],
          judges=stats["judges"]),
        _("入围 %(finalists)s 个，挑战第一名 %(winners)s 个", finalists=stats["finalists"], winners=stats["winners"]),
        _("已出具合同 %(count)s 份，金额 %(amount)s", count=stats["contracts_issued"],
          amount=_yuan(stats["contract_amount_issued"])),
        _("已签订合同 %(count)s 份（签约企业 %(firms)s 家），签约金额 %(amount)s，其中技术交易额 %(tech)s",
          count=stats["contracts_signed"], firms=stats["firms_signed"], amount=_yuan(stats["contract_amount_signed"]),
          tech=_yuan(stats["tech_amount_signed"])),
        _("实际到账 %(amount)s；符合市重点研发计划条件的合同 %(count)s 份", amount=_yuan(stats["payments_received"]),
          count=stats["key_programme_eligible"]),
    ]
    if stats["by_field"]:
        lines.append(_("分领域（发布需求 / 挑战第一名 / 签约金额）："))
        lines += [_breakdown(label(f), r) for f, r in stats["by_field"].items()]
    if stats["by_channel"]:
        lines.append(_("分征集渠道（发布需求 / 挑战第一名 / 签约金额）："))
        lines += [_breakdown(c, r) for c, r in stats["by_channel"].items()]
    return lines


def _breakdown(name: str, row: dict) -> str:
    """One line of a breakdown: needs published / winners / amount signed."""
    return "  " + _("%(name)s：%(published)s / %(winners)s / %(amount)s", name=name,
                    published=row["needs_published"], winners=row["winners"],
                    amount=_yuan(row["contract_amount_signed"]))


@click.command("stats")
@click.option("--edition", "code", required=True, help="届次代码，如 CIC8-NB")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（金额为保留两位小数的字符串，单位元）")
@with_appcontext
def stats(code: str, as_json: bool) -> None:
    """Print the edition's figures: needs, bids, judges, winners, contracts, payments, by field and channel."""
    from .services.contracts.statistics import edition_stats, stats_json

    figures = edition_stats(_edition(code))
    if as_json:
        click.echo(json.dumps(stats_json(figures), ensure_ascii=False, indent=2))
        return
    for line in summary_lines(figures):
        click.echo(line)


COMMANDS = (print_contracts, stats)
