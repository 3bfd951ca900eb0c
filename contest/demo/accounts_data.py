"""Demo accounts: the organizer, firm users, teams with their members, and judges.

Organizations are referred to by their key in orgs_data.ORGANIZATIONS. Every account's password is
seed.PASSWORD.
"""
from __future__ import annotations

ORGANIZER = dict(username="organizer", display_name="王海峰", org="kjj", phone="0574-89186105",
                 email="organizer@example.com")

# username -> (display name, organization key, phone)
FIRM_ACCOUNTS: dict[str, tuple[str, str, str]] = {
    "firm1": ("张伟", "yongsheng", "13805741201"),
    "firm2": ("刘芳", "hengyu", "13905742302"),
    "firm3": ("黄丽", "ruikang", "13736103403"),
    "firm4": ("徐斌", "haiyue", "13957404504"),
    "firm5": ("邵佳", "siming", "13586605605"),
    "firm6": ("周敏", "lanhai", "13819806706"),
    "firm7": ("吴昊", "zhichi", "13906627807"),
    "firm8": ("毛俊", "yongneng", "13777008908"),
    "firm9": ("郑晓峰", "xiangshan", "13967801009"),
    "firm10": ("钱磊", "shuiwu", "13858202110"),
    "firm11": ("罗静", "cikang", "13600603211"),
    "firm12": ("朱琳", "yongzhi", "13989304312"),
}


def _member(name: str, title: str, org: str) -> dict:
    return dict(name=name, title=title, organization_name=org)


NBU, NIMTE, UNNC = "宁波大学", "中国科学院宁波材料技术与工程研究所", "宁波诺丁汉大学"
ZJU_NB, NBUT, ZWU = "浙江大学宁波“五位一体”校区教育发展中心", "宁波工程学院", "浙江万里学院"
YJ, ZX = "甬江实验室", "宁波智芯工业软件有限公司"

# username -> team: the account's organization is the team's lead organization.
TEAMS: dict[str, dict] = {
    "team1": dict(
        org="nbu", name="宁波大学智能制造与机器视觉团队", leader_name="李明远", leader_title="教授",
        members=[_member("陈思涵", "副教授", NBU), _member("胡永强", "讲师", NBU),
                 _member("沈佳琪", "高级工程师", "宁波市智能制造技术研究院有限公司"),
                 _member("任晓波", "博士研究生", NBU)],
        strengths="团队长期从事工业视觉检测、机器人与智能装备研究，承担国家自然科学基金、浙江省重点研发计划项目10余项，"
                  "与本地汽车零部件、模具企业合作开发检测与加工装备30余台套。",
        ip_background="已授权发明专利15项（其中视觉检测相关8项），软件著作权6项，相关成果获浙江省科技进步二等奖。"),
    "team2": dict(
        org="nimte", name="稀土永磁与功能材料团队", leader_name="王海涛", leader_title="研究员",
        members=[_member("刘雅琴", "副研究员", NIMTE), _member("郭振华", "高级工程师", NIMTE),
                 _member("蒋晨曦", "助理研究员", NIMTE), _member("邵立新", "工程师", "宁波磁性材料应用技术创新中心有限公司")],
        strengths="团队在稀土永磁晶界扩散、功能涂层与薄膜材料方面有近20年积累，建有磁性材料中试线和完整的磁性能、"
                  "微结构表征平台，多项技术已在长三角磁材与电池材料企业转化。",
        ip_background="晶界扩散、复合涂层相关授权发明专利40余项，其中3项已许可企业实施。"),
    "team3": dict(
        org="unnc", name="环境工程与化工过程团队", leader_name="张静怡", leader_title="教授",
        members=[_member("吴博文", "副教授", UNNC), _member("林嘉欣", "助理教授", UNNC),
                 _member("赵一鸣", "高级工程师", "宁波诺丁汉国际海洋经济技术研究院")],
        strengths="团队依托宁波诺丁汉大学化工与环境工程系，在膜分离、废水资源化、水质传感和生物分离过程方面具有国际合作基础，"
                  "拥有中试规模的膜分离与蒸发结晶实验平台。",
        ip_background="授权发明专利12项，国际专利2项，主持国家重点研发计划课题2项。"),
    "team4": dict(
        org="zju_nb", name="智能网联汽车与机器人团队", leader_name="周志强", leader_title="研究员",
        members=[_member("何晓峰", "副研究员", ZJU_NB), _member("钱俊杰", "工程师", ZJU_NB),
                 _member("孔令宇", "博士后", "浙江大学"), _member("黄思远", "高级工程师", ZJU_NB),
                 _member("陆晓萌", "博士研究生", "浙江大学")],
        strengths="团队在车辆动力学控制、线控底盘、功能安全和多智能体调度方面承担国家及省部级项目20余项，"
                  "建有硬件在环仿真台架和封闭测试场地合作渠道。",
        ip_background="授权发明专利26项，软件著作权9项，参与制定团体标准2项。"),
    "team5": dict(
        org="nbut", name="化工与生物制药工程团队", leader_name="马丽华", leader_title="教授",
        members=[_member("杜鹏", "副教授", NBUT), _member("彭晓雯", "讲师", NBUT),
                 _member("袁海军", "高级工程师", NBUT)],
        strengths="团队长期服务宁波石化与生物医药产业，擅长分离纯化工艺开发、工艺放大和GMP合规研究，"
                  "与区内药企共建联合实验室2个。",
        ip_background="授权发明专利11项，完成横向技术开发项目40余项。"),
    "team6": dict(
        org="zwu", name="现代农业与食品智能装备团队", leader_name="叶建国", leader_title="教授",
        members=[_member("蔡晓敏", "副教授", ZWU), _member("方宇", "讲师", ZWU),
                 _member("潘立波", "高级农艺师", "宁波市农业技术推广总站")],
        strengths="团队聚焦茶叶、水产品加工与智能农机装备，拥有农产品光谱检测与保鲜实验室，"
                  "在宁波、舟山建有多个产学研示范基地。",
        ip_background="授权发明专利9项，实用新型专利20余项，制定地方标准2项。"),
    "team7": dict(
        org="yongjiang", name="新能源材料与储能器件团队", leader_name="韩文博", leader_title="研究员",
        members=[_member("冯雪", "副研究员", YJ), _member("梁子豪", "工程师", YJ),
                 _member("曹蕾", "博士后", NIMTE), _member("严可欣", "助理研究员", YJ)],
        strengths="团队依托甬江实验室新能源材料平台，具备从材料合成、电芯制备到储能系统测试的全链条研发能力，"
                  "建有吨级正极材料中试线。",
        ip_background="授权发明专利18项，钠离子电池与储能安全相关专利申请10余项。"),
    "team8": dict(
        org="zhixin", name="工业互联网与智能算法团队", leader_name="谢振华", leader_title="高级工程师",
        members=[_member("段明", "算法工程师", ZX), _member("郑琳", "高级软件工程师", ZX),
                 _member("许浩然", "副教授", NBU), _member("唐雨", "产品经理", ZX)],
        strengths="公司为国家高新技术企业，专注工业软件与智能算法，产品已服务宁波300余家制造企业，"
                  "团队核心成员来自知名工业软件企业和高校。",
        ip_background="软件著作权35项，授权发明专利5项，通过CMMI三级认证。"),
}

# username -> team owner's display name (the team's contact) and phone.
TEAM_CONTACTS: dict[str, tuple[str, str]] = {
    "team1": ("李明远", "13857410001"), "team2": ("王海涛", "13857410002"),
    "team3": ("张静怡", "13857410003"), "team4": ("周志强", "13857410004"),
    "team5": ("马丽华", "13857410005"), "team6": ("叶建国", "13857410006"),
    "team7": ("韩文博", "13857410007"), "team8": ("谢振华", "13857410008"),
}

# username -> (display name, organization key or None)
JUDGES: dict[str, tuple[str, str | None]] = {
    "judge1": ("陈国华", "zjut"),
    "judge2": ("周立群", "nbut"),
    "judge3": ("孙海燕", "nbu"),
    "judge4": ("郑晓东", "nimte"),
    "judge5": ("吴建平", "nbfh"),
    "judge6": ("徐慧敏", "nbaas"),
    "judge7": ("刘振宇", None),
    "judge8": ("林志刚", "zju"),
    "judge9": ("黄晓燕", "zjou"),
    "judge10": ("蒋立明", "nbim"),
    "judge11": ("王丽娟", "zjchem"),
    "judge12": ("赵永康", "lhl"),
}
