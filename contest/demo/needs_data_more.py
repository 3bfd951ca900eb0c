"""Demo needs, part 2: vehicle chassis, energy storage, marine, water utility, medical devices, industrial software.

Same shape as needs_data.NEEDS_PART1.
"""
from __future__ import annotations

from ..domain.choices import CooperationMode as C, NeedCategory as K, NeedField as F
from .editions_data import LIVE_CODE

NEEDS_PART2: list[dict] = [
    dict(key="brake", firm="firm7", name="智能网联汽车线控底盘冗余制动控制系统", category=K.INDUSTRY_COMMON,
         field=F.MECHATRONICS, industry="汽车零部件", keywords=["线控制动", "冗余控制", "功能安全", "智能网联汽车"],
         problem="L3级以上自动驾驶要求制动系统具备失效后继续运行的能力，目前线控制动（One-Box/Two-Box）冗余方案及"
                 "核心控制软件主要由国外供应商提供，国内企业在冗余架构设计、故障诊断和功能安全认证方面能力不足。",
         key_points="1. 双控制器、双电源的冗余线控制动架构；2. 主系统失效时冗余系统在150ms内接管，减速度≥0.5g；"
                    "3. 建压响应时间≤150ms（0-10MPa）；4. 软件开发符合ISO 26262 ASIL D流程；5. 完成整车冬季、夏季标定试验。",
         goals="完成冗余线控制动系统样件开发和台架、整车验证，通过功能安全流程认证，获得整车企业定点项目1个。",
         budget="1000", months=36, cooperation=C.JOINT, source="慈溪市科技大市场"),
    dict(key="steering", firm="firm7", name="线控转向系统路感模拟与故障诊断技术", category=K.FIRM_SPECIFIC,
         field=F.MECHATRONICS, industry="汽车零部件", keywords=["线控转向", "路感模拟", "故障诊断"],
         problem="线控转向取消了方向盘与转向器之间的机械连接，驾驶员路感需由电机模拟，现有算法路感单一、存在迟滞和抖动，"
                 "驾驶员主观评价得分低；转角传感器、电机等故障的快速诊断与容错控制也不完善。",
         key_points="1. 基于车辆动力学模型与实时状态估计的路感模拟算法，方向盘力矩跟随误差≤0.3N·m；2. 系统延迟≤20ms；"
                    "3. 主要故障诊断覆盖率≥99%，诊断时间≤10ms；4. 满足ASIL D安全目标。",
         goals="完成线控转向路感模拟与诊断软件开发，在2款样车上完成验证，主观评价达到7分以上（10分制）。",
         budget="700", months=24, cooperation=C.COMMISSIONED, source="慈溪市科技大市场"),
    dict(key="storage_bms", firm="firm8", name="工商业储能电池簇均衡管理与热失控早期预警", category=K.REGIONAL_COMMON,
         field=F.NEW_ENERGY, industry="新型储能", keywords=["储能系统", "电池均衡", "热失控预警", "BMS"],
         problem="工商业储能电站电池簇之间及簇内电芯一致性衰减快，运行两年后可用容量下降超过15%；现有电池管理系统依靠"
                 "电压、温度阈值报警，热失控预警滞后，难以满足园区储能安全监管要求。",
         key_points="1. 簇间主动均衡控制，簇间SOC差异≤2%；2. 融合电压、温度、内阻及气体信号的热失控预警，"
                    "提前30分钟以上预警，误报不超过每月1次；3. 电芯SOH估计误差≤3%；"
                    "4. 兼容280Ah磷酸铁锂电芯，系统规模≥1MWh。",
         goals="在1座2MWh工商业储能电站完成示范应用，可用容量提升8%以上，形成储能电池管理及安全预警产品1套。",
         budget="480", months=24, cooperation=C.JOINT, source="奉化区科技大市场"),
    dict(key="sodium", firm="firm8", name="钠离子电池层状氧化物正极材料量产工艺", category=K.INDUSTRY_COMMON,
         field=F.NEW_ENERGY, industry="新能源电池", keywords=["钠离子电池", "层状氧化物", "正极材料", "量产工艺"],
         problem="钠离子电池是储能和低速电动车的重要技术路线，层状氧化物正极材料空气稳定性差、循环寿命短，"
                 "量产中存在残碱高、批次一致性差等问题，公司现有小试工艺难以放大到吨级。",
         key_points="1. 掺杂与包覆改性，材料在湿度40%空气中暴露24小时后容量保持率≥98%；2. 比容量≥140mAh/g（2.0-4.0V）；"
                    "3. 软包全电池1C循环3000次容量保持率≥80%；4. 残碱≤1.5%，吨级批次容量偏差≤2%。",
         goals="建成百吨级正极材料中试线，产品通过2家以上电芯企业验证，形成量产工艺文件和质量标准。",
         budget="750", months=36, cooperation=C.JOINT, source="宁波科技大市场", anonymous=True),
    dict(key="cage", firm="firm9", name="深远海大黄鱼养殖网箱智能投喂与水质监测", category=K.REGIONAL_COMMON,
         field=F.MARINE, industry="海水养殖", keywords=["深远海养殖", "智能投喂", "水质监测", "大黄鱼"],
         problem="象山港外深远海大型养殖网箱远离岸线，投喂依赖人工出海，台风季无法作业；饲料浪费率约20%，"
                 "溶解氧、水温等水质异常难以及时发现，曾发生大面积缺氧死鱼事故。",
         key_points="1. 基于水下视觉和声呐的鱼群摄食行为识别，自动调节投喂量，饲料系数降低10%以上；"
                    "2. 溶解氧、温度、盐度、叶绿素在线监测，数据回传间隔≤10分钟；3. 设备在12级台风条件下不损毁；"
                    "4. 远程监控平台支持多网箱集中管理。",
         goals="在2个周长120米以上的深远海网箱完成一个养殖周期的示范应用，投喂人工减少60%，养殖成活率提高5个百分点。",
         budget="220", months=24, cooperation=C.COMMISSIONED, source="象山县科技大市场"),
    dict(key="fish_fresh", firm="firm9", name="渔获物船上保鲜与品质快速无损检测", category=K.FIRM_SPECIFIC,
         field=F.MARINE, industry="海洋捕捞", keywords=["水产品保鲜", "无损检测", "冰温保鲜"],
         problem="公司东海捕捞渔船的带鱼、小黄鱼等渔获在船上冰鲜保存，出海周期7-15天，返港后鲜度等级波动大，"
                 "三级品比例约30%；鲜度判定依靠经验，交易中缺少客观依据。",
         key_points="1. 船载冰温或流化冰保鲜工艺，渔获15天内一级鲜度比例≥80%；2. 基于光谱或电子鼻的鲜度无损快速检测，"
                    "每个样品≤10秒，与TVB-N理化指标相关系数≥0.9；3. 设备适应船舶摇晃和高湿环境。",
         goals="在2艘捕捞渔船上完成保鲜装置安装和两个航次的验证，一级品率提高20个百分点，形成便携式鲜度检测仪样机1台。",
         budget="90", months=12, cooperation=C.COMMISSIONED, source="象山县科技大市场"),
    dict(key="leak", firm="firm10", name="城市供水管网漏损智能识别与精准定位", category=K.REGIONAL_COMMON,
         field=F.PUBLIC_AFFAIRS, industry="城市供水", keywords=["管网漏损", "声学监测", "智慧水务", "漏点定位"],
         problem="中心城区供水管网总长约6000公里，部分老旧铸铁管服役超过30年，管网漏损率约9%；暗漏发现依靠人工听漏，"
                 "效率低、定位误差大，开挖后找不到漏点的情况时有发生。",
         key_points="1. 基于分区计量（DMA）流量、压力数据的漏损异常识别，24小时内发现1m³/h以上的新增漏损；"
                    "2. 声学相关定位误差≤1m；3. 适用于铸铁、球墨铸铁、PE等管材；4. 与现有SCADA和GIS系统数据对接。",
         goals="在2个DMA分区（管长约200公里）开展示范应用，示范区漏损率下降2个百分点，形成智慧漏损管控平台1套。",
         budget="350", months=24, cooperation=C.COMMISSIONED, source="海曙区科技大市场"),
    dict(key="ecg", firm="firm11", name="可穿戴动态心电监测与AI辅助诊断", category=K.FIRM_SPECIFIC,
         field=F.HEALTHCARE, industry="医疗器械", keywords=["动态心电", "可穿戴设备", "心律失常", "人工智能"],
         problem="公司现有动态心电记录仪为24小时Holter，佩戴舒适性差，报告依赖医生逐段阅图；基层医院缺少心电专业医生，"
                 "阵发性房颤等心律失常漏诊率高。",
         key_points="1. 贴片式单导联/三导联心电采集，连续佩戴≥7天，防水等级IP67；2. 房颤、室性早搏、房性早搏、停搏等"
                    "主要心律失常AI识别灵敏度和特异度均≥95%；3. 算法满足医疗器械软件注册要求，训练数据来源合规；"
                    "4. 报告自动生成，医生审核时间缩短70%。",
         goals="完成可穿戴心电贴与AI分析软件样机开发，在2家以上医院完成临床试验，提交第二类医疗器械注册申请。",
         budget="300", months=24, cooperation=C.JOINT, source="慈溪市科技大市场"),
    dict(key="coating", firm="firm11", name="一次性医用导管亲水润滑涂层技术", category=K.FIRM_SPECIFIC,
         field=F.HEALTHCARE, industry="医用耗材", keywords=["亲水涂层", "医用导管", "生物相容性"],
         problem="公司生产的导尿管、介入导丝等一次性导管表面摩擦系数高，插管时患者不适感强；现有亲水涂层依赖进口涂液，"
                 "涂层牢度不足，使用中易脱落。",
         key_points="1. 紫外光固化亲水涂层配方，湿态摩擦系数≤0.05；2. 模拟使用50次往复摩擦后摩擦系数增幅≤20%，"
                    "无明显脱落；3. 生物相容性满足GB/T 16886系列标准；4. 适用于PVC、TPU、硅胶等基材，可连续化涂覆。",
         goals="形成涂液配方及涂覆工艺1套，产品完成注册检验，替代进口涂液后单支成本降低50%。",
         budget="160", months=12, cooperation=C.COMMISSIONED, source="慈溪市科技大市场"),
    dict(key="edge_gateway", firm="firm12", name="中小制造企业设备数据采集与边缘计算网关", category=K.REGIONAL_COMMON,
         field=F.HIGH_TECH_SERVICES, industry="工业互联网", keywords=["工业互联网", "数据采集", "边缘计算", "协议解析"],
         problem="宁波大量中小注塑、机加工企业设备品牌杂、年代跨度大，通讯协议多达数十种，数据采集需逐台定制开发，"
                 "单台接入成本超过3000元，制约了企业数字化改造和产业大脑的数据汇聚。",
         key_points="1. 支持Modbus、OPC UA、Profinet、FOCAS及主流注塑机协议等30种以上协议的自动识别与解析；"
                    "2. 单网关接入设备≥32台，采集周期≤1秒；3. 边缘侧计算设备综合效率（OEE）、能耗等指标，断网续传；"
                    "4. 单台设备接入成本≤800元。",
         goals="开发边缘计算网关产品和低代码配置工具，在20家以上中小企业部署应用，接入设备1000台以上。",
         budget="200", months=24, cooperation=C.JOINT, source="鄞州区科技大市场"),
    dict(key="molding_app", edition=LIVE_CODE, firm="firm12", name="注塑成型工艺参数智能优化工业APP", category=K.FIRM_SPECIFIC,
         field=F.HIGH_TECH_SERVICES, industry="塑料制品", keywords=["注塑工艺", "参数优化", "工业APP"],
         problem="注塑新模具试模和换产调机依赖老师傅经验，一套模具调试平均需要4-8小时，试模废品多，经验难以沉淀和复制。",
         key_points="1. 基于模流仿真与历史生产数据的工艺参数推荐，首次推荐合格率≥70%；2. 根据质量检测结果迭代优化，"
                    "3次以内达到合格；3. 支持主流国产注塑机的参数格式；4. 以SaaS方式部署，支持手机端操作。",
         goals="开发注塑工艺智能优化APP 1套，在10家注塑企业推广应用，平均调机时间缩短50%。",
         budget="50", months=12, cooperation=C.COMMISSIONED, source="宁波市塑料行业协会技术市场"),
]
