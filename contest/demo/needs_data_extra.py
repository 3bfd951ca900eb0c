"""Demo needs, part 3: four CIC8-NB needs that drew no bid (流榜), and two needs published in CIC9-NB.

Same shape as needs_data.NEEDS_PART1; `edition` names the demo edition when it is not CIC8-NB.
"""
from __future__ import annotations

from ..domain.choices import CooperationMode as C, NeedCategory as K, NeedField as F
from .editions_data import LIVE_CODE

NEEDS_PART3: list[dict] = [
    dict(key="tea_residue", firm="firm5", name="茶饮料生产茶渣高值化综合利用技术", category=K.REGIONAL_COMMON,
         field=F.RESOURCES_ENVIRONMENT, industry="茶叶深加工", keywords=["茶渣", "茶多酚", "膳食纤维", "资源化利用"],
         problem="公司及周边茶饮料、速溶茶粉企业每年产生湿茶渣约8000吨，目前以低价出售作饲料或堆肥为主，夏季易腐败发臭，"
                 "环保压力大；茶渣中残留的茶多酚、茶多糖和膳食纤维等有效成分未被利用。",
         key_points="1. 湿茶渣低能耗脱水与防腐预处理，含水率由80%降至15%以下；2. 残留茶多酚、茶多糖绿色提取，提取率≥80%，"
                    "茶多酚纯度≥90%；3. 提取后残渣制备食品级膳食纤维，持水力≥6g/g；4. 全流程无有机溶剂残留，废水达标排放。",
         goals="建成处理湿茶渣1吨/小时的中试线，形成茶多酚、茶膳食纤维产品各1个，茶渣综合利用率≥95%，"
               "每吨茶渣新增产值1500元以上。",
         budget="150", months=24, cooperation=C.JOINT, source="余姚市科技大市场"),
    dict(key="collagen", firm="firm9", name="大黄鱼加工副产物胶原蛋白肽绿色制备技术", category=K.FIRM_SPECIFIC,
         field=F.MARINE, industry="水产品加工", keywords=["胶原蛋白肽", "酶解", "鱼皮鱼鳞", "高值化"],
         problem="公司大黄鱼加工年产鱼皮、鱼鳞、鱼骨等副产物约1200吨，大部分作为饲料原料低价处理；"
                 "现有酸碱法提取胶原蛋白腥味重、得率低、废液多，产品难以进入食品和化妆品市场。",
         key_points="1. 鱼皮鱼鳞脱脂脱钙及复合酶定向酶解工艺，胶原蛋白肽得率≥18%；2. 产品重均分子量≤1000Da，"
                    "羟脯氨酸含量≥8%；3. 脱腥脱色后感官无明显鱼腥味；4. 重金属、微生物指标满足GB 31645要求。",
         goals="建成年处理副产物500吨的胶原蛋白肽中试生产线，开发食品级胶原蛋白肽产品2个，副产物增值3倍以上。",
         budget="180", months=24, cooperation=C.COMMISSIONED, source="象山县科技大市场"),
    dict(key="pump_robot", firm="firm10", name="二次供水泵房智能巡检机器人", category=K.REGIONAL_COMMON,
         field=F.PUBLIC_AFFAIRS, industry="城市供水", keywords=["巡检机器人", "二次供水", "故障诊断"],
         problem="公司运维的住宅小区二次供水泵房约2600座，分布分散，依靠人工每周巡检，水泵异响、渗漏、水箱水位异常等"
                 "隐患发现滞后，夜间和节假日故障响应慢，已发生多起停水投诉。",
         key_points="1. 适应泵房狭窄空间的轨道或轮式巡检机器人，自主导航定位精度≤2cm；2. 可见光、红外测温与声纹采集，"
                    "水泵轴承、电机异常识别准确率≥90%；3. 渗漏、积水识别，告警推送≤1分钟；4. 与现有智慧水务平台对接。",
         goals="在10座泵房部署巡检机器人并运行6个月以上，人工巡检频次减少70%，泵房故障平均发现时间缩短至2小时以内。",
         budget="240", months=18, cooperation=C.COMMISSIONED, source="海曙区科技大市场"),
    dict(key="endoscope", firm="firm11", name="一次性电子内窥镜微型成像模组国产化", category=K.FIRM_SPECIFIC,
         field=F.ELECTRONIC_INFO, industry="医疗器械", keywords=["电子内窥镜", "CMOS成像", "一次性使用"],
         problem="公司开发的一次性支气管镜、输尿管镜所用微型CMOS成像模组全部依赖进口，单只成本占整镜成本的40%以上，"
                 "供货周期长；国产模组在小尺寸下画质、白平衡和发热控制方面差距明显。",
         key_points="1. 模组外径≤2.8mm，分辨率≥400×400，视场角≥120°；2. 集成LED照明，镜头前端温升≤8℃；"
                    "3. 自动白平衡与图像增强算法，色彩还原满足临床判读要求；4. 满足YY 0505电磁兼容要求，可环氧乙烷灭菌。",
         goals="完成国产微型成像模组设计与小批量试制，装配整镜通过注册检验，模组成本降至进口产品的50%以下。",
         budget="400", months=24, cooperation=C.JOINT, source="慈溪市科技大市场"),
    dict(key="silicon_steel", firm="firm2", name="新能源汽车驱动电机用无取向硅钢自粘结绝缘涂层", edition=LIVE_CODE,
         category=K.INDUSTRY_COMMON, field=F.NEW_MATERIALS, industry="电工钢",
         keywords=["无取向硅钢", "自粘结涂层", "驱动电机", "铁芯"],
         problem="驱动电机定转子铁芯目前采用焊接或扣片叠装，焊接破坏绝缘层、增加铁损，扣片影响高速转子强度；"
                 "自粘结涂层可省去焊接，但涂液及工艺被国外少数企业掌握，国产涂层粘结强度和耐油性不足。",
         key_points="1. 水性自粘结绝缘涂液，涂层厚度2-4μm；2. 粘结后剪切强度≥15MPa，150℃下保持率≥60%；"
                    "3. 层间电阻≥20Ω·cm²，铁芯铁损较焊接工艺降低≥8%；4. 耐ATF油浸泡1000小时后粘结强度下降≤20%。",
         goals="完成涂液配方与连续涂覆固化工艺开发，在1条硅钢涂层线上中试，产品通过2家电机企业装机验证。",
         budget="500", months=24, cooperation=C.JOINT, source="镇海区科技大市场"),
    dict(key="container_ocr", firm="firm4", name="集装箱箱号与箱体残损智能识别系统", edition=LIVE_CODE,
         category=K.FIRM_SPECIFIC, field=F.ELECTRONIC_INFO, industry="港口物流",
         keywords=["箱号识别", "残损检测", "机器视觉", "智能闸口"],
         problem="码头闸口和岸桥下的集装箱箱号、铅封和箱体残损目前由理货员目视核对和拍照记录，夜间、雨雾天识别困难，"
                 "残损漏记引发的箱损纠纷每年赔付超过200万元。",
         key_points="1. 箱号、箱型代码识别准确率≥99.5%，单箱识别时间≤1秒；2. 凹陷、破洞、锈蚀等残损识别召回率≥90%；"
                    "3. 适应夜间、雨雾和逆光；4. 识别结果与码头操作系统自动对接，残损图像留存可追溯。",
         goals="在2条闸口通道和2台岸桥部署识别系统并稳定运行3个月，理货人工减少50%，残损漏记率下降80%。",
         budget="260", months=12, cooperation=C.COMMISSIONED, source="北仑区科技大市场"),
]
