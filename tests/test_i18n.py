"""Chinese first, English available: labels, the catalogue of translations, and the language switch."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from contest.domain.choices import CooperationMode, NeedField, OrgKind
from contest.domain.states import BidStatus, NeedStatus
from contest.labels import label

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "contest" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_equal_values_of_different_enums_keep_their_own_labels(app):
    # NeedStatus.SUBMITTED == BidStatus.SUBMITTED as strings; each keeps its own word.
    assert label(NeedStatus.SUBMITTED) == "待甄别"
    assert label(BidStatus.SUBMITTED) == "已提交"
    assert {label(OrgKind.OTHER), label(NeedField.OTHER), label(CooperationMode.OTHER)} == {"其他"}
    assert label(NeedStatus.BIDDING_CLOSED) == "揭榜已截止"


def test_every_message_in_the_code_has_an_english_translation(tmp_path):
    """Extract the messages afresh from the code and templates (the mail's .txt too, and templates/_macros/, which
    Babel skips unless told: it ignores folders starting with _ by default): each must be translated."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "--ignore-dirs", ".*", "-k", "_l", "-k", "N_", "-o", str(pot), "."], cwd=ROOT, check=True)
    assert "templates/_macros/ui.html" in pot.read_text(encoding="utf-8")
    assert "templates/mail/message.txt" in pot.read_text(encoding="utf-8")
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with CATALOG.open("rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string and not m.fuzzy}
    assert sorted(wanted - translated) == []


def test_pages_switch_to_english_and_back(client):
    html = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert "Log in" in html and "Username" in html and 'lang="en"' in html
    html = client.get("/needs").get_data(as_text=True)
    assert "Published needs" in html or "Needs" in html
    html = client.get("/auth/login?lang=zh_CN").get_data(as_text=True)
    assert "用户名" in html and 'lang="zh-CN"' in html


def test_chinese_is_the_default(client):
    assert "用户名" in client.get("/auth/login").get_data(as_text=True)
