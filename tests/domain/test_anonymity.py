"""The anonymity check's matching (contest/domain/anonymity.py): what of a team a report's pages show."""
from __future__ import annotations

from contest.domain.anonymity import SHORT_FORMS, Identity, Kind, find, first, has_text, needles
from contest.domain.conflicts import org_key

TEAM = Identity(
    team_name="智能视觉揭榜团队",
    organizations=("宁波大学", "中国科学院宁波材料技术与工程研究所", "个人"),
    leader="李明远",
    members=("陈思涵", "方宇", "王"),
    contacts=("李明远",),
    phones=("13857410001", "0574-87600000", "123456"),
    emails=("Li.MY@nbu.example.com", "a@b.c"),
)
CLEAN = "本方案采用光度立体成像与无监督异常检测，漏检率≤0.08%，节拍2.5秒/件，报价 280 万元，周期 18 个月。"


def found(*pages: str) -> list[tuple[int, str, Kind, str]]:
    return [(f.page, f.found, f.kind, f.item) for f in find(TEAM, list(pages))]


def test_a_clean_report_shows_nothing_and_has_text():
    assert found(CLEAN, CLEAN) == []
    assert has_text([CLEAN]) and not has_text(["", " \n\t", ""]) and not has_text([])


def test_each_kind_of_item_is_found_as_written_with_its_item():
    assert found("本报告由智能视觉揭榜团队完成") == [(1, "智能视觉揭榜团队", Kind.TEAM, "智能视觉揭榜团队")]
    assert found("依托宁波大学") == [(1, "宁波大学", Kind.ORGANIZATION, "宁波大学")]
    assert found("负责人李明远教授") == [(1, "李明远", Kind.LEADER, "李明远")]
    assert found("成员：方宇") == [(1, "方宇", Kind.MEMBER, "方宇")]   # a two-character name is searched
    assert found("电话 13857410001") == [(1, "13857410001", Kind.PHONE, "13857410001")]
    # the address (its domain also holds the short form NBU, found after it)
    assert found("邮箱 li.my@nbu.example.com")[0] == (1, "li.my@nbu.example.com", Kind.EMAIL, "Li.MY@nbu.example.com")


def test_spaces_punctuation_line_breaks_and_compatibility_forms_do_not_hide_a_name():
    assert found("依托 宁 波 大 学 的平台") == [(1, "宁 波 大 学", Kind.ORGANIZATION, "宁波大学")]
    assert found("宁波·大学") == [(1, "宁波·大学", Kind.ORGANIZATION, "宁波大学")]
    assert found("智能视觉\n揭榜团队") == [(1, "智能视觉 揭榜团队", Kind.TEAM, "智能视觉揭榜团队")]
    assert found("宁波⼤学")[0][1:] == ("宁波⼤学", Kind.ORGANIZATION, "宁波大学")   # ⼤ is the Kangxi radical


def test_full_width_phone_numbers_and_e_mail_addresses_are_found():
    assert found("联系电话：１３８ ５７４１ ０００１。") == [(1, "１３８ ５７４１ ０００１", Kind.PHONE, "13857410001")]
    assert found("+86 138-5741-0001") == [(1, "138-5741-0001", Kind.PHONE, "13857410001")]
    assert found("（0574）8760 0000") == [(1, "0574）8760 0000", Kind.PHONE, "0574-87600000")]
    mail = found("ＬＩ．ＭＹ＠ＮＢＵ．ＥＸＡＭＰＬＥ．ＣＯＭ")
    assert mail[0] == (1, "ＬＩ．ＭＹ＠ＮＢＵ．ＥＸＡＭＰＬＥ．ＣＯＭ", Kind.EMAIL, "Li.MY@nbu.example.com")


def test_short_forms_come_from_the_table_and_name_their_organization():
    assert "宁大" in SHORT_FORMS[org_key("宁波大学")]
    assert found("宁大团队") == [(1, "宁大", Kind.SHORT_FORM, "宁波大学")]
    assert found("与宁波材料所合作") == [(1, "宁波材料所", Kind.SHORT_FORM, "中国科学院宁波材料技术与工程研究所")]
    assert found("中科院宁波材料所")[0][1:] == ("中科院宁波材料所", Kind.SHORT_FORM, "中国科学院宁波材料技术与工程研究所")
    assert found("NBU lab")[0][1:] == ("NBU", Kind.SHORT_FORM, "宁波大学")
    # A Latin short form is a word: not inside another one.
    assert found("unbutton the NBUX") == []
    # An organization the table does not know has no short form.
    assert first(Identity(organizations=("宁波某某科技有限公司",)), ["宁大"]) is None


def test_too_short_needles_are_not_searched():
    kinds = {(n.kind, n.text) for n in needles(TEAM)}
    assert (Kind.MEMBER, "王") not in kinds                # one character
    assert (Kind.ORGANIZATION, "个人") not in kinds        # not an organization one is found by
    assert not any(n.kind == Kind.PHONE and n.text == "123456" for n in needles(TEAM))   # fewer than 7 digits
    assert not any(n.kind == Kind.EMAIL and n.text == "a@b.c" for n in needles(TEAM))
    assert found("王先生以个人名义，编号 123456，a@b.c") == []


def test_phone_digits_are_not_joined_across_words():
    assert found("138 万元，57 项，410001 号") == []        # digits separated by words are other numbers
    assert found("13857410001")[0][2] == Kind.PHONE


def test_the_page_number_and_order_of_findings():
    findings = find(TEAM, [CLEAN, "", CLEAN + "由宁大负责", "李明远"])
    assert [(f.page, f.kind) for f in findings] == [(3, Kind.SHORT_FORM), (4, Kind.LEADER)]
    # Where two matches start at the same place the longer one comes first: the team name, then the organization.
    team = Identity(team_name="宁波大学视觉团队", organizations=("宁波大学",))
    assert [f.kind for f in find(team, ["宁波大学视觉团队"])] == [Kind.TEAM, Kind.ORGANIZATION]
    assert first(team, ["无", "宁波大学"]).page == 2


def test_a_two_character_name_is_found_where_it_stands_apart_not_inside_ordinary_words():
    identity = Identity(team_name="智能检测团队", members=("段明",))
    assert find(identity, ["本项目各阶段明确，节点清晰。"]) == []              # 阶段明确: a word, not 段明
    assert [f.found for f in find(identity, ["项目负责人：段明"])] == ["段明"]
    assert [f.found for f in find(identity, ["由段明教授牵头"])] == ["段明"]   # followed by a title
    assert [f.found for f in find(identity, ["Contact 段明 for details"])] == ["段明"]
    three = Identity(team_name="智能检测团队", members=("陈思涵",))            # longer names are found anywhere
    assert [f.found for f in find(three, ["由陈思涵负责"])] == ["陈思涵"]
