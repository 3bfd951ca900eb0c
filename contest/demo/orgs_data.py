"""Demo organizations: the bureau, the firms posting needs, the teams' lead organizations, the judges' units.

Each credit code is built from its parts (registering authority and entity type, region, 8-character
organization code body); seed.credit_code() adds both check characters. The firms are fictional; the
universities and institutes are real Ningbo names with made-up codes, contacts and accounts.
"""
from __future__ import annotations

from ..domain.choices import OrgKind

E, U, I, M, O = OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.MEDICAL, OrgKind.OTHER


def _org(name, kind, prefix, region, body, address, legal_rep, contact, phone, email, bank, account):
    return dict(name=name, kind=kind, code_parts=(prefix, region, body), region_code=region, address=address,
                legal_rep=legal_rep, contact_name=contact, contact_phone=phone, contact_email=email,
                bank_name=bank, bank_account=account)


ORGANIZATIONS: dict[str, dict] = {
    # The host: 机关 codes start with 11.
    "kjj": _org("宁波市科学技术局", O, "11", "330200", "00300852", "宁波市鄞州区宁穿路2001号", "周建明",
                "王海峰", "0574-89186105", "kjj@example.com", "", ""),
    # Firms posting needs (企业: 91 + region).
    "yongsheng": _org("宁波甬晟汽车部件有限公司", E, "91", "330206", "MA2AH7KQ", "宁波市北仑区大碶街道庐山西路88号",
                      "陈永胜", "张伟", "0574-86851230", "tech@yongsheng.example.com", "中国银行宁波北仑支行",
                      "358473921046"),
    "hengyu": _org("宁波恒昱新材料股份有限公司", E, "91", "330211", "7342198A", "宁波市镇海区蛟川街道金川路168号",
                   "沈国良", "刘芳", "0574-86302718", "rd@hengyu.example.com", "宁波银行镇海支行",
                   "51010122000387654"),
    "ruikang": _org("宁波瑞康生物医药科技有限公司", E, "91", "330282", "MA2GL3WX", "宁波前湾新区滨海二路218号",
                    "林晓东", "黄丽", "0574-63071526", "bd@ruikang.example.com", "中国工商银行慈溪支行",
                    "3901300109200186543"),
    "haiyue": _org("宁波海悦港航科技有限公司", E, "91", "330206", "MA2CF81N", "宁波市北仑区新碶街道明州路699号",
                   "俞海波", "徐斌", "0574-86117732", "port@haiyue.example.com", "中国建设银行北仑支行",
                   "33150199503600127788"),
    "siming": _org("宁波四明山茶业科技有限公司", E, "91", "330281", "MA2J4D6Y", "余姚市大岚镇茶园路12号",
                   "邵志刚", "邵佳", "0574-62351908", "tea@siming.example.com", "余姚农村商业银行大岚支行",
                   "201000187654321"),
    "lanhai": _org("宁波蓝海膜科技有限公司", E, "91", "330211", "MA2B9R5T", "宁波市镇海区澥浦镇化工路55号",
                   "孙立伟", "周敏", "0574-86501247", "water@lanhai.example.com", "中国农业银行镇海支行",
                   "39509001040012345"),
    "zhichi": _org("宁波智驰汽车底盘系统有限公司", E, "91", "330282", "MA2KP7E3", "宁波前湾新区兴慈八路366号",
                   "何建华", "吴昊", "0574-63082219", "eng@zhichi.example.com", "招商银行宁波杭州湾新区支行",
                   "574908765410201"),
    "yongneng": _org("宁波甬能储能科技有限公司", E, "91", "330213", "MA2H1U8L", "宁波市奉化区滨海新区金海路9号",
                     "胡晓峰", "毛俊", "0574-88907761", "ess@yongneng.example.com", "浙商银行宁波奉化支行",
                     "3320020310120100098765"),
    "xiangshan": _org("宁波象山海洋渔业科技有限公司", E, "91", "330225", "MA2E6QN0", "象山县石浦镇渔港北路21号",
                      "郑海龙", "郑晓峰", "0574-65961133", "fish@xs-ocean.example.com", "宁波银行象山支行",
                      "51030122000165432"),
    "shuiwu": _org("宁波市甬城智慧水务有限公司", E, "91", "330203", "3441527K", "宁波市海曙区中山西路300号",
                   "钱卫东", "钱磊", "0574-87112368", "smart@yc-water.example.com", "中国银行宁波海曙支行",
                   "374658012377"),
    "cikang": _org("宁波慈康医疗器械有限公司", E, "91", "330282", "MA2D3H9W", "慈溪市浒山街道新城大道北路1088号",
                   "罗建平", "罗静", "0574-63900521", "ra@cikang.example.com", "中国工商银行慈溪支行",
                   "3901300109200178234"),
    "yongzhi": _org("宁波甬智工业互联网服务有限公司", E, "91", "330212", "MA2FN5C2", "宁波市鄞州区首南街道天童南路588号",
                    "朱浩", "朱琳", "0574-87730916", "iiot@yongzhi.example.com", "宁波银行鄞州支行",
                    "51020122000498761"),
    # Lead organizations of the teams (事业单位 12…, 民办非企业 52…, the tech firm 91…).
    "nbu": _org("宁波大学", U, "12", "330200", "41995893", "宁波市江北区风华路818号", "郑建平",
                "徐晨", "0574-87600000", "kjc@nbu.example.com", "中国银行宁波大学支行", "392358345001"),
    "nimte": _org("中国科学院宁波材料技术与工程研究所", I, "12", "330200", "71780624", "宁波市镇海区中官西路1219号",
                  "冯建国", "何琳", "0574-86685000", "kyc@nimte.example.com", "中国银行宁波镇海支行",
                  "374758330017"),
    "unnc": _org("宁波诺丁汉大学", U, "52", "330200", "75885271", "宁波市鄞州区泰康东路199号", "陈立群",
                 "Helen Zhu", "0574-88180000", "research@unnc.example.com", "中国银行宁波鄞州支行",
                 "366158340026"),
    "zju_nb": _org("浙江大学宁波“五位一体”校区教育发展中心", U, "12", "330200", "MB1A3572", "宁波市北仑区长江路1号",
                   "李浩然", "钱程", "0574-86880000", "kyb@zjunb.example.com", "中国工商银行宁波北仑支行",
                   "3901150009000123456"),
    "nbut": _org("宁波工程学院", U, "12", "330200", "41995917", "宁波市江北区风华路201号", "吴国庆",
                 "杜鹃", "0574-87080000", "kjc@nbut.example.com", "中国建设银行宁波江北支行",
                 "33101995036050001234"),
    "zwu": _org("浙江万里学院", U, "12", "330000", "72720583", "宁波市鄞州区钱湖南路8号", "钱志强",
                "潘婷", "0574-88220000", "kjc@zwu.example.com", "宁波银行鄞州支行", "51020122000300018"),
    "yongjiang": _org("甬江实验室", I, "12", "330200", "MB1C7T81", "宁波市镇海区庄市街道中官西路777号", "彭立新",
                      "冯雪", "0574-86370000", "office@yjlab.example.com", "中国银行宁波镇海支行",
                      "374758330089"),
    "zhixin": _org("宁波智芯工业软件有限公司", E, "91", "330212", "MA2LQ8G6", "宁波市鄞州区首南街道泰康中路655号",
                   "谢振华", "唐雨", "0574-87011836", "hello@zhixin.example.com", "招商银行宁波鄞州支行",
                   "574911223310801"),
    # The judges' units that are not already above.
    "zjut": _org("浙江工业大学", U, "12", "330000", "47000513", "杭州市拱墅区潮王路18号", "李建国",
                 "陈燕", "0571-88320000", "kjc@zjut.example.com", "中国工商银行杭州朝晖支行",
                 "1202021309900012345"),
    "nbfh": _org("宁波市第一医院", M, "12", "330200", "41998005", "宁波市海曙区柳汀街59号", "徐建华",
                 "杨帆", "0574-87085588", "kyk@nbfh.example.com", "中国银行宁波海曙支行", "374658000125"),
    "nbaas": _org("宁波市农业科学研究院", I, "12", "330200", "41997088", "宁波市鄞州区德厚街19号", "王荣华",
                  "沈蕾", "0574-89184000", "office@nbaas.example.com", "宁波银行鄞州支行", "51020122000301234"),
    "zju": _org("浙江大学", U, "12", "330000", "47000468", "杭州市西湖区余杭塘路866号", "王立平",
                "孙洁", "0571-88980000", "kyy@zju.example.com", "中国工商银行杭州玉泉支行", "1202024309900076543"),
    "zjou": _org("浙江海洋大学", U, "12", "330900", "47105631", "舟山市定海区临城街道海大南路1号", "陈志华",
                 "俞佳", "0580-2550000", "kjc@zjou.example.com", "中国银行舟山新城支行", "361058330045"),
    "nbim": _org("宁波市计量测试研究院", I, "12", "330200", "41995466", "宁波市鄞州区天童北路1088号", "胡立群",
                 "许静", "0574-87251000", "office@nbim.example.com", "宁波银行鄞州支行", "51020122000305678"),
    "zjchem": _org("浙江省化工研究院有限公司", E, "91", "330100", "14291382", "杭州市西湖区天目山路387号", "杨建民",
                   "金晓", "0571-85220000", "tech@zjchem.example.com", "中国建设银行杭州西湖支行",
                   "33001616727050012345"),
    "lhl": _org("宁波市医疗中心李惠利医院", M, "12", "330200", "41998021", "宁波市鄞州区兴宁路57号", "方国强",
                "周宁", "0574-87392000", "kyk@lhl.example.com", "中国银行宁波鄞州支行", "366158000237"),
}
