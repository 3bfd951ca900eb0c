"""seed-scale: generate a national-scale edition into the database, deterministic for a seed."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .extensions import db
from .scale.plan import NATIONAL, Sizes, Stage


def _code(value: str) -> str:
    code = value.strip().upper()
    if not 1 <= len(code) <= 20:
        raise click.BadParameter(_("届次代码须为 1 至 20 个字符"))
    return code


@click.command("seed-scale")
@click.option("--needs", type=click.IntRange(1), default=NATIONAL.needs, show_default=True, help="技术需求数")
@click.option("--bids", type=click.IntRange(0), default=NATIONAL.bids, show_default=True, help="挑战报告数")
@click.option("--judges", type=click.IntRange(5), default=NATIONAL.judges, show_default=True, help="评审专家数")
@click.option("--teams", type=click.IntRange(1), default=NATIONAL.teams, show_default=True, help="揭榜团队数")
@click.option("--contracts", type=click.IntRange(0), default=NATIONAL.contracts, show_default=True,
              help="合同数（不超过揭榜成功的需求数）")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子：同一种子生成同样的数据")
@click.option("--code", default="CIC-NATIONAL", show_default=True, callback=lambda _c, _p, v: _code(v),
              help="届次代码（不得已存在，至多 20 个字符）")
@click.option("--stage", type=click.Choice([s.value for s in Stage]), default=Stage.CONTRACTS.value,
              show_default=True,
              help="bidding：需求发布、挑战报告提交；review：初评进行中（已分配专家）；final：初评结束、入围确定；"
                   "results：现场赛、企业确认、结果公示；contracts：合同出具、签订与履行")
@click.option("--rendered-pdfs", type=click.IntRange(1), default=3, show_default=True,
              help="用正式合同模板生成的合同 PDF 份数；其余合同复用这些文件（字节与 SHA-256 相同，合同编号不符，仅供测试）")
@with_appcontext
def seed_scale(needs: int, bids: int, judges: int, teams: int, contracts: int, seed: int, code: str, stage: str,
               rendered_pdfs: int) -> None:
    """Generate a national-scale edition (default 2,000 needs, 20,000 bids, 300 judges, 4,000 teams,
    1,000 contracts) by bulk inserts, for benchmarks: the same data for the same seed, on SQLite and
    PostgreSQL. No audit events. Only a few contract PDFs are rendered; the other contracts reuse their
    bytes (test data: the reused PDFs print another contract's number)."""
    from .scale.seed import Refused, Request, seed_scale as run
    from .scale.write import remove_files

    request = Request(Sizes(needs, bids, judges, teams, contracts), seed, code, Stage(stage),
                      rendered_pdfs)
    try:
        written = run(request, click.echo)
    except Refused as e:
        db.session.rollback()
        raise click.ClickException(str(e)) from e
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        remove_files(written)
        raise
    click.echo(_("已提交。"))


COMMANDS = (seed_scale,)
