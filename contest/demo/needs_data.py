"""Demo needs, part 1: manufacturing, new materials, biomedicine, port, tea and water firms.

Each need names its firm account, a short key (used by the bids), and the fields of the need-collection
form; `months` is the need period, which starts after the edition's results. Status defaults to published;
`edition` defaults to CIC8-NB (the judged 2024 edition), LIVE_CODE puts a need in the open CIC9-NB.
"""
from __future__ import annotations

from ..domain.choices import CooperationMode as C, NeedCategory as K, NeedField as F
from ..domain.states import NeedStatus as S
from .editions_data import LIVE_CODE

NEEDS_PART1: list[dict] = [
    dict(key="vision", edition=LIVE_CODE, firm="firm1", name="汽车内饰注塑件表面缺陷在线视觉检测系统", category=K.FIRM_SPECIFIC,
         field=F.ELECTRONIC_INFO, industry="汽车零部件", keywords=["机器视觉", "缺陷检测", "深度学习", "注塑件"],
         problem="公司年产汽车门板、仪表板等内饰注塑件约1200万件，表面缩痕、熔接线、银纹、划伤等缺陷目前依靠人工目检，"
                 "每班需质检员40余人，漏检率约0.8%，客户投诉集中在高光黑和皮纹件上。现有通用视觉设备对皮纹背景、"
                 "曲面反光和多种颜色零件的适应性差，误报率超过5%，无法投入量产使用。",
         key_points="1. 适应高光、皮纹、哑光等多种表面及黑、灰、米色等颜色；2. 可检出最小缺陷尺寸0.2mm，漏检率≤0.1%，"
                    "误报率≤1%；3. 单件检测节拍≤3秒，与现有机械手取件节拍匹配；4. 新品导入时每类缺陷不超过50张样本即可"
                    "完成模型训练；5. 检测结果与MES系统对接，可追溯到模具和班次。",
         goals="研制在线视觉检测系统1套，在1条注塑产线连续稳定运行3个月以上，替代该线80%以上人工目检岗位；"
               "形成缺陷图像库及模型训练工具；申请发明专利1-2项。",
         budget="300", months=18, cooperation=C.COMMISSIONED, source="北仑区科技大市场"),
    dict(key="conformal", firm="firm1", name="大型压铸模具随形冷却流道增材制造技术", category=K.REGIONAL_COMMON,
         field=F.MECHATRONICS, industry="模具制造", keywords=["随形冷却", "金属3D打印", "压铸模具", "模具寿命"],
         problem="新能源汽车一体化压铸件尺寸大、结构复杂，模具局部热节处温度高达400℃以上，传统钻孔直通冷却难以覆盖，"
                 "导致模具早期热裂失效、压铸件缩孔缩松，模具寿命仅约3万模次。宁波模具企业普遍缺乏随形冷却流道设计与"
                 "大尺寸模具镶件增材制造、后处理的成套能力。",
         key_points="1. 基于模流与温度场仿真的随形冷却流道拓扑优化设计方法；2. H13或同等级热作模具钢激光选区熔化成形，"
                    "致密度≥99.8%，热处理后硬度HRC46-50；3. 打印镶件与锻造基体结合区强度不低于基体的90%；"
                    "4. 流道内壁粗糙度Ra≤6.3μm，具备清粉与内壁抛光工艺。",
         goals="在1副6000吨级以上压铸模具上完成随形冷却镶件应用验证，热节处温度降低60℃以上，模具寿命提高30%以上，"
               "铸件缩孔类缺陷率下降50%；形成设计与制造工艺规范，在本地模具企业推广。",
         budget="450", months=24, cooperation=C.JOINT, source="宁波市模具行业协会技术市场"),
    dict(key="deburr", edition=LIVE_CODE, firm="firm1", name="铝合金压铸件机器人柔性打磨去毛刺工艺包", category=K.FIRM_SPECIFIC,
         field=F.MECHATRONICS, industry="汽车零部件", keywords=["机器人打磨", "力控", "去毛刺", "离线编程"],
         problem="公司电机壳体、电控箱体等铝合金压铸件的毛刺、飞边位置不一致，人工打磨粉尘大、招工难、一致性差；"
                 "试用的示教型机器人打磨方案换型需重新示教1-2天，且压铸件尺寸波动导致过磨或欠磨。",
         key_points="1. 基于三维扫描的工件位姿与毛刺识别，定位精度≤0.1mm；2. 恒力打磨控制，力控精度±2N；"
                    "3. 基于CAD模型的离线编程，新品换型时间≤2小时；4. 打磨后毛刺残留高度≤0.1mm，节拍≤90秒/件。",
         goals="建成机器人柔性打磨工作站1套，覆盖3个以上产品型号，替代打磨工位6人；形成打磨工艺参数库和换型操作规范。",
         budget="200", months=12, cooperation=C.COMMISSIONED, source="北仑区科技大市场", status=S.SUBMITTED),
    dict(key="press", edition=LIVE_CODE, firm="firm1", name="伺服压装力-位移曲线在线质量判定", category=K.FIRM_SPECIFIC,
         field=F.MECHATRONICS, industry="汽车零部件", keywords=["伺服压装", "过程监控", "质量判定"],
         problem="轴承、衬套压装工序依靠固定的压力窗口判断是否合格，对压偏、啃伤、漏装垫片等异常识别能力不足，"
                 "每年因压装不良造成的客户退货损失约150万元。",
         key_points="1. 采集压装力、位移、速度曲线，采样频率≥1kHz；2. 基于曲线特征与机器学习的异常判定，检出率≥99%，"
                    "误判率≤0.5%；3. 兼容现有12台伺服压机，单次判定时间≤200ms。",
         goals="在2条装配线部署在线质量判定系统，压装不良零外流；建立压装曲线数据库。",
         budget="80", months=12, cooperation=C.COMMISSIONED, source="北仑区科技大市场", status=S.DRAFT),
    dict(key="magnet", firm="firm2", name="烧结钕铁硼永磁体晶界扩散重稀土减量技术", category=K.INDUSTRY_COMMON,
         field=F.NEW_MATERIALS, industry="稀土永磁", keywords=["钕铁硼", "晶界扩散", "重稀土减量", "矫顽力"],
         problem="新能源汽车驱动电机用高矫顽力烧结钕铁硼需添加4%-6%的镝、铽等重稀土，原料成本高且供应受限。"
                 "现有晶界扩散工艺（涂覆铽源后热处理）扩散深度有限，厚度超过6mm的磁体内外矫顽力不均匀，"
                 "铽利用率偏低，难以满足大尺寸磁体批量生产的要求。",
         key_points="1. 新型扩散源（如低熔点铽基合金）及高效涂覆工艺；2. 磁体厚度8mm条件下矫顽力提升≥8kOe，"
                    "剩磁下降≤0.2kG；3. 铽用量≤0.5wt%，利用率≥80%；4. 磁体不同深度矫顽力偏差≤5%；"
                    "5. 工艺适配连续式真空扩散炉，单炉产能≥500kg。",
         goals="开发48SH、45UH等牌号无镝低铽产品2个以上，重稀土用量比现有工艺降低50%以上，"
               "形成年产500吨的晶界扩散中试工艺包；申请发明专利3项以上。",
         budget="800", months=36, cooperation=C.JOINT, source="镇海区科技大市场"),
    dict(key="separator", firm="firm2", name="锂电池隔膜芳纶/陶瓷复合涂覆工艺与装备", category=K.REGIONAL_COMMON,
         field=F.NEW_MATERIALS, industry="锂电池材料", keywords=["锂电隔膜", "芳纶涂覆", "陶瓷涂层", "热收缩"],
         problem="动力电池对隔膜耐热性和安全性的要求不断提高，现有氧化铝陶瓷涂覆隔膜在150℃以上热收缩明显；"
                 "芳纶涂覆浆料依赖进口，涂覆速度低（不超过40m/min），面密度一致性差，制约高端隔膜国产化。",
         key_points="1. 国产对位芳纶溶解与浆料稳定化技术，浆料储存期≥7天；2. 涂层厚度2-4μm，面密度偏差≤±3%；"
                    "3. 隔膜180℃/1h热收缩≤3%，透气度增加值≤40s/100mL；4. 涂覆线速度≥80m/min，幅宽≥1.5m。",
         goals="完成芳纶/陶瓷复合涂覆隔膜工艺开发和中试线改造，产品通过2家以上电池企业认证，"
               "形成年产5000万平方米的量产能力。",
         budget="600", months=24, cooperation=C.JOINT, source="宁波科技大市场"),
    dict(key="packaging", edition=LIVE_CODE, firm="firm2", name="高导热低介电电子封装用复合材料", category=K.FIRM_SPECIFIC,
         field=F.NEW_MATERIALS, industry="电子封装", keywords=["导热材料", "低介电", "电子封装"],
         problem="5G基站与车载功率模块封装对材料导热和介电性能的要求越来越高，公司现有产品性能不足。",
         key_points="导热系数高，介电常数低，可靠性好。",
         goals="开发出新型封装材料并实现量产。",
         budget="260", months=24, cooperation=C.COMMISSIONED, source="镇海区科技大市场", status=S.RETURNED,
         return_comment="技术指标不够具体：请补充导热系数、介电常数和介电损耗的目标值及测试标准，说明现有产品的性能水平"
                        "与差距，并细化预期目标中的量产规模和应用验证要求后重新提交。"),
    dict(key="antibody", firm="firm3", name="单克隆抗体下游纯化工艺优化与连续层析", category=K.FIRM_SPECIFIC,
         field=F.BIOTECH_PHARMA, industry="生物制药", keywords=["单克隆抗体", "蛋白A层析", "连续层析", "宿主蛋白"],
         problem="公司在研的2个单克隆抗体品种已进入临床Ⅱ期，下游纯化采用蛋白A亲和层析加两步精纯的批次工艺，"
                 "蛋白A填料价格高、载量利用率仅约60%，聚体和宿主细胞蛋白（HCP）残留波动大，收率约65%，"
                 "难以支撑商业化生产的成本目标。",
         key_points="1. 多柱连续捕获层析工艺开发，填料载量利用率≥85%；2. 精纯后聚体≤1%，HCP≤50ppm，宿主DNA≤10pg/mg；"
                    "3. 全流程收率≥75%；4. 工艺满足GMP要求，关键工艺参数完成DoE表征与验证。",
         goals="完成2000L规模纯化工艺开发与3批工程批验证，单位纯化成本降低30%以上，形成可用于药品注册申报的工艺研究资料。",
         budget="500", months=24, cooperation=C.COMMISSIONED, source="宁波科技大市场"),
    dict(key="lnp", firm="firm3", name="mRNA药物脂质纳米粒（LNP）递送系统开发", category=K.INDUSTRY_COMMON,
         field=F.BIOTECH_PHARMA, industry="生物制药", keywords=["mRNA", "脂质纳米粒", "可电离脂质", "递送系统"],
         problem="mRNA药物的核心瓶颈在于递送系统，可电离脂质等关键辅料及其专利主要掌握在国外企业手中，"
                 "国内企业在LNP配方设计、规模化制备和质量控制方面缺乏自主可控技术，产品冷链要求高，"
                 "对肝脏以外组织的靶向性差。",
         key_points="1. 设计合成具有自主知识产权的可电离脂质不少于3种；2. LNP粒径80-120nm，PDI≤0.15，包封率≥90%；"
                    "3. 2-8℃条件下稳定性≥6个月；4. 建立微流控规模化制备工艺，单批≥10L；"
                    "5. 小鼠模型表达效率不低于SM-102对照配方。",
         goals="获得具有自主知识产权的LNP递送平台1套，完成至少1个mRNA候选产品的制剂工艺开发和临床前药学研究，"
               "申请发明专利（含PCT）3项以上。",
         budget="1200", months=36, cooperation=C.JOINT, source="宁波科技大市场", anonymous=True),
    dict(key="medium", edition=LIVE_CODE, firm="firm3", name="无血清CHO细胞培养基国产化配方开发", category=K.FIRM_SPECIFIC,
         field=F.BIOTECH_PHARMA, industry="生物制药", keywords=["无血清培养基", "CHO细胞", "流加培养"],
         problem="公司抗体生产所用CHO细胞培养基及补料全部依赖进口，价格高，供货周期长达3个月，且配方不透明，"
                 "不利于工艺优化和供应链安全。",
         key_points="1. 化学成分限定、无动物源成分的基础培养基与补料配方；2. 14天流加培养活细胞密度峰值≥2×10^7 cells/mL，"
                    "抗体表达量≥5g/L；3. 电荷异构体、糖型等质量属性与进口培养基可比；4. 批间一致性满足GMP物料要求。",
         goals="形成基础培养基及补料配方各1套，完成200L规模验证，培养基成本较进口产品降低40%以上。",
         budget="350", months=24, cooperation=C.COMMISSIONED, source="慈溪市科技大市场", status=S.SUBMITTED),
    dict(key="port_dispatch", firm="firm4", name="集装箱自动化码头多设备协同智能调度算法", category=K.INDUSTRY_COMMON,
         field=F.HIGH_TECH_SERVICES, industry="港口物流", keywords=["自动化码头", "智能调度", "集装箱", "运筹优化"],
         problem="自动化集装箱码头岸桥、水平运输车辆（AGV/IGV）、轨道吊之间的作业调度目前采用规则式调度，"
                 "设备等待和空驶比例高，大船作业高峰期岸桥平均效率仅约28自然箱/小时，且难以应对船舶延误、"
                 "设备故障等扰动。",
         key_points="1. 岸桥—水平运输—堆场设备一体化协同调度模型；2. 支持200台以上水平运输设备实时调度，"
                    "单次求解时间≤2秒；3. 路径规划避免拥堵和死锁；4. 故障、插队等扰动下10秒内完成重调度；"
                    "5. 与码头TOS系统接口对接。",
         goals="在1个自动化泊位完成系统上线验证，岸桥平均作业效率提升10%以上，水平运输设备空驶率降低15%；"
               "形成可推广的调度软件产品1套，取得软件著作权2项以上。",
         budget="1500", months=36, cooperation=C.JOINT, source="北仑区科技大市场"),
    dict(key="port_video", firm="firm4", name="岸桥远程操控低时延高清视频传输系统", category=K.FIRM_SPECIFIC,
         field=F.ELECTRONIC_INFO, industry="港口装备", keywords=["远程操控", "5G专网", "低时延", "视频编码"],
         problem="岸桥远程操控需要将起升、小车等十余路高清视频实时回传至中控室，现有光纤加通用编码方案端到端时延约200ms，"
                 "画面卡顿影响操作员判断；部分老旧岸桥改造时无法敷设光纤。",
         key_points="1. 16路1080P视频同步传输，端到端时延≤80ms；2. 支持5G专网与光纤双链路热备，切换时间≤50ms；"
                    "3. 丢包率0.1%时画面无明显花屏；4. 设备满足港口防盐雾、抗振动环境要求。",
         goals="完成2台岸桥远程操控视频系统改造并投入运行，远程操控作业效率达到司机室操作的95%以上。",
         budget="280", months=24, cooperation=C.COMMISSIONED, source="北仑区科技大市场"),
    dict(key="tea_sort", firm="firm5", name="名优绿茶智能色选与品质分级装备", category=K.REGIONAL_COMMON,
         field=F.MODERN_AGRICULTURE, industry="茶叶加工", keywords=["茶叶分选", "近红外光谱", "机器视觉", "品质分级"],
         problem="余姚、宁海等地名优绿茶加工中，黄片、茶梗、碎末的剔除和等级划分主要依赖人工拣剔和感官审评，"
                 "每吨干茶人工拣剔成本约3000元，分级一致性差，影响品牌茶溢价。现有色选机对色泽相近的茶梗和老叶识别率低。",
         key_points="1. 融合可见光与近红外的多光谱识别，茶梗、黄片剔除率≥95%，带出比≤1:10；"
                    "2. 基于外形、色泽和内含成分的品质分级模型，与专家审评一致率≥90%；3. 处理量≥300kg/h；"
                    "4. 适应扁形、卷曲形等不同茶类。",
         goals="研制智能分选分级样机1台，在2家茶企完成一个茶季的生产验证，人工拣剔用工减少70%以上；制定企业分级标准1项。",
         budget="120", months=12, cooperation=C.JOINT, source="余姚市科技大市场"),
    dict(key="tea_pest", firm="firm5", name="茶园病虫害智能监测与绿色防控预警系统", category=K.FIRM_SPECIFIC,
         field=F.MODERN_AGRICULTURE, industry="茶叶种植", keywords=["病虫害监测", "物联网", "绿色防控"],
         problem="公司在四明山区有生态茶园3000亩，茶小绿叶蝉、茶尺蠖等虫害和炭疽病发生时间不规律，"
                 "依靠人工巡园发现迟，防治往往滞后，农残风险影响出口。",
         key_points="1. 虫情测报灯、孢子捕捉仪自动识别计数，主要害虫识别准确率≥90%；2. 结合气象数据的病虫害发生预测模型，"
                    "提前3-7天预警；3. 手机端推送防控建议；4. 设备太阳能供电，适应山区无市电环境。",
         goals="在3000亩茶园部署监测点10个以上，化学农药使用量减少30%，病虫害造成的产量损失控制在5%以内。",
         budget="60", months=12, cooperation=C.COMMISSIONED, source="余姚市科技大市场"),
    dict(key="ro_membrane", firm="firm6", name="反渗透海水淡化膜抗污染改性与国产化", category=K.INDUSTRY_COMMON,
         field=F.RESOURCES_ENVIRONMENT, industry="水处理膜", keywords=["海水淡化", "反渗透膜", "抗污染", "界面聚合"],
         problem="宁波、舟山沿海海岛及石化园区的海水淡化工程大量使用进口反渗透膜元件，国产膜在脱盐率稳定性和"
                 "抗生物污染能力上存在差距，运行半年后通量衰减超过20%，化学清洗频繁。",
         key_points="1. 聚酰胺分离层界面聚合工艺优化及表面亲水、抗菌改性；2. 8英寸膜元件在标准测试条件（32000ppm NaCl，"
                    "5.5MPa）下稳定脱盐率≥99.8%，产水量≥26m³/d；3. 运行6个月通量衰减≤10%；4. 膜片批次间性能偏差≤3%。",
         goals="开发高脱盐抗污染海水淡化膜元件产品1-2个，在万吨级海水淡化工程中完成不少于6个月的示范运行，"
               "形成年产10万支膜元件的生产工艺。",
         budget="900", months=36, cooperation=C.JOINT, source="镇海区科技大市场"),
    dict(key="brine", firm="firm6", name="高盐化工废水零排放蒸发结晶分盐技术", category=K.REGIONAL_COMMON,
         field=F.RESOURCES_ENVIRONMENT, industry="石化环保", keywords=["高盐废水", "零排放", "分盐结晶", "MVR"],
         problem="宁波石化经济技术开发区企业产生的高盐废水含氯化钠、硫酸钠及有机物，现有蒸发结晶得到的杂盐被列为危险废物，"
                 "处置费用每吨3000元以上，且蒸发器结垢严重、能耗高。",
         key_points="1. 纳滤分盐与MVR蒸发结晶耦合工艺；2. 结晶氯化钠纯度≥98.5%，硫酸钠纯度≥97%，达到工业盐标准；"
                    "3. 杂盐产率≤5%；4. 吨水蒸发能耗≤35kWh；5. 系统连续运行≥90天不停车清洗。",
         goals="建成处理规模不低于5m³/h的中试装置并连续运行3个月，形成可用于百吨级工程的工艺包，实现盐资源化利用。",
         budget="550", months=24, cooperation=C.COMMISSIONED, source="镇海区科技大市场", anonymous=True),
]
