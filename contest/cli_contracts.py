"""Command-line tools for contracts and figures: print-contracts (the batch PDF) and stats."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from .domain.errors import DomainError
from .labels import label
from .models import Edition


def _edition(code: str) -> Edition:
    from .services.editions import edition_by_code

    edition = edition_by_code(code.strip().upper())
    if edition is None:
        raise click.ClickException(f"未找到届次 {code}")
    return edition


@click.command("print-contracts")
@click.option("--edition", "code", required=True, help="届次代码，如 CIC8-NB")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="输出的 PDF 文件")
@with_appcontext
def print_contracts(code: str, out: Path) -> None:
    """Write one PDF with every issued or signed contract of the edition, as issued, in number order."""
    from .services.contracts.batch import batch_pdf

    edition = _edition(code)
    printed: list[str] = []

    def progress(done: int, total: int, number: str) -> None:
        printed.append(number)
        click.echo(f"[{done}/{total}] {number}")

    try:
        content = batch_pdf(edition, progress)
    except DomainError as e:
        raise click.ClickException(e.message) from e
    try:
        out.write_bytes(content)
    except OSError as e:
        raise click.ClickException(f"无法写入 {out}：{e.strerror}") from e
    click.echo(f"已写入 {out}：{edition.code} 的 {len(printed)} 份合同（{len(content):,} 字节）。")


def _yuan(amount) -> str:
    return f"{amount / 10000:,.2f} 万元（{amount:,.2f} 元）"


def summary_lines(stats: dict) -> list[str]:
    """The figures as a readable Chinese summary."""
    lines = [
        f"{stats['edition_name']}（{stats['edition']}）",
        f"征集需求 {stats['needs_collected']} 项，发布 {stats['needs_published']} 项，流榜 {stats['failed_needs']} 项",
        f"挑战报告 {stats['bids']} 份，揭榜团队 {stats['teams']} 个，评审专家 {stats['judges']} 位",
        f"入围 {stats['finalists']} 个，挑战第一名 {stats['winners']} 个",
        f"已出具合同 {stats['contracts_issued']} 份，金额 {_yuan(stats['contract_amount_issued'])}",
        f"已签订合同 {stats['contracts_signed']} 份，签约金额 {_yuan(stats['contract_amount_signed'])}",
        f"实际到账 {_yuan(stats['payments_received'])}；到账达 300 万元的合同 {stats['key_programme_eligible']} 份",
    ]
    if stats["by_field"]:
        lines.append("分领域（发布需求 / 挑战第一名 / 签约金额）：")
        lines += [f"  {label(f)}：{r['needs_published']} / {r['winners']} / {_yuan(r['contract_amount_signed'])}"
                  for f, r in stats["by_field"].items()]
    if stats["by_channel"]:
        lines.append("分征集渠道（发布需求 / 挑战第一名 / 签约金额）：")
        lines += [f"  {c}：{r['needs_published']} / {r['winners']} / {_yuan(r['contract_amount_signed'])}"
                  for c, r in stats["by_channel"].items()]
    return lines


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
