"""The catalogue the generated tables are drawn from: regions, 主管部门 with their units, functions and projects,
the indicators of each kind of project (with how their targets are drawn), and the prose of annual goals.

Made up, but in the words of real published tables (the 重庆 seed and the tables of ``shared/data/real``).
"""

from __future__ import annotations

from dataclasses import dataclass

# -- catalogue: regions, departments, units, projects --------------------------------------

REGIONS: tuple[tuple[str, str], ...] = (
    ("500101", "万州区"), ("500102", "涪陵区"), ("500103", "渝中区"), ("500104", "大渡口区"),
    ("500105", "江北区"), ("500106", "沙坪坝区"), ("500107", "九龙坡区"), ("500108", "南岸区"),
    ("500109", "北碚区"), ("500110", "綦江区"), ("500111", "大足区"), ("500112", "渝北区"),
    ("500113", "巴南区"), ("500114", "黔江区"), ("500115", "长寿区"), ("500116", "江津区"),
    ("500117", "合川区"), ("500118", "永川区"), ("500119", "南川区"), ("500120", "璧山区"),
)


@dataclass(frozen=True, slots=True)
class Department:
    """A 主管部门: its 3-digit code, name, sub-units, functions and projects (name, kind)."""

    code: str
    name: str
    subunits: tuple[str, ...]
    functions: tuple[str, ...]
    projects: tuple[tuple[str, str], ...]


def _dept(code: str, name: str, subunits: str, functions: str, projects: str) -> Department:
    """Build a department from space-separated lists; projects are ``名称/kind``."""
    pairs = tuple((item.split("/")[0], item.split("/")[1]) for item in projects.split())
    return Department(code, name, tuple(subunits.split()), tuple(functions.split()), pairs)


DEPARTMENTS: tuple[Department, ...] = (
    _dept("121", "教育委员会", "第一中学校 实验小学校 教师进修学院 机关幼儿园 职业教育中心",
          "保障义务教育均衡发展 落实学生资助政策 加强教师队伍建设 推进学前教育普及普惠",
          "学生资助补助/subsidy 义务教育营养改善计划/subsidy 教师全员培训/training "
          "校舍维修改造/repair 教育信息化运维/it 学前教育保教费补助/subsidy 校园安保服务/property"),
    _dept("130", "卫生健康委员会", "人民医院 中医院 疾病预防控制中心 妇幼保健院 卫生健康执法支队",
          "开展公共卫生服务 实施疾病预防控制 加强卫生健康监督执法 推进基层医疗卫生建设",
          "基本公共卫生服务/medical 重大传染病防控/monitoring 卫生监督执法/inspection "
          "家庭医生签约服务/medical 医疗设备购置/equipment 卫生人才培训/training"),
    _dept("132", "农业农村委员会", "农业技术推广中心 动物疫病预防控制中心 农村经营管理站",
          "推进农业产业发展 保障农产品质量安全 实施乡村振兴战略 开展动物疫病防控",
          "高标准农田建设管护/greening 农产品质量安全检测/inspection 动物疫病强制免疫/monitoring "
          "农业技术推广/training 乡村振兴示范村建设/repair 农村人居环境整治/sanitation"),
    _dept("134", "民政局", "社会福利院 殡仪馆 救助管理站",
          "落实社会救助政策 提升养老服务水平 加强基层政权建设 规范殡葬管理服务",
          "城乡低保补助/subsidy 特困人员供养/subsidy 居家养老服务/medical 社区治理创新/event "
          "殡葬惠民补助/subsidy 困难残疾人生活补贴/subsidy"),
    _dept("136", "人力资源和社会保障局", "就业和人才中心 社会保险事务中心 劳动保障监察支队",
          "促进就业创业 完善社会保险体系 维护劳动者合法权益 加强人才队伍建设",
          "就业创业补贴/subsidy 职业技能培训/training 劳动保障监察执法/inspection "
          "人才引进补助/subsidy 公益性岗位补贴/staff"),
    _dept("138", "交通局", "公路事务中心 交通运输综合行政执法支队",
          "加强农村公路养护 保障道路运输安全 推进交通基础设施建设",
          "农村公路养护/road 危桥改造/road 道路运输安全监管/inspection 公交运营补贴/subsidy"),
    _dept("141", "城市管理局", "环境卫生管理所 园林绿化管理所 市政设施维护中心",
          "提升城市环境卫生水平 加强园林绿化管护 保障市政设施正常运行",
          "城区道路清扫保洁/sanitation 生活垃圾清运处理/sanitation 园林绿化管护/greening "
          "市政设施维护/road 城市照明运行维护/it"),
    _dept("143", "生态环境局", "生态环境监测站 生态环境保护综合行政执法支队",
          "开展生态环境监测 加强污染防治 推进生态文明建设",
          "大气污染防治/monitoring 水环境质量监测/monitoring 土壤污染防治/monitoring "
          "环境执法检查/inspection 生态环境宣传教育/publicity"),
    _dept("145", "政务服务管理办公室", "公共资源交易中心",
          "开展行政审批制度改革 创新政务服务方式 开展政务服务平台建设 窗口队伍建设 窗口作风建设",
          "免费复印/event 技术服务/it 协税员聘用/staff 窗口队伍建设/staff 物业绿化/property "
          "网络通讯/it 窗口作风建设/training 水电维保/property 免费邮寄/event"),
    _dept("150", "文化和旅游发展委员会", "图书馆 文化馆 博物馆",
          "繁荣公共文化事业 推进文旅融合发展 保护文化遗产",
          "公共文化场馆免费开放/event 送文化下乡/event 非物质文化遗产保护/publicity "
          "旅游宣传推广/publicity 文物保护修缮/repair"),
    _dept("152", "退役军人事务局", "退役军人服务中心 光荣院",
          "落实退役军人优抚政策 做好退役军人就业安置",
          "优抚对象抚恤补助/subsidy 退役军人技能培训/training 烈士纪念设施管护/property"),
    _dept("154", "应急管理局", "应急救援指挥中心",
          "加强安全生产监管 提升应急救援能力 做好防灾减灾救灾",
          "安全生产监管执法/inspection 应急物资储备/rescue 森林防灭火/rescue "
          "应急救援队伍建设/staff 防灾减灾宣传/publicity"),
    _dept("156", "司法局", "公共法律服务中心 法律援助中心",
          "推进法治政府建设 开展普法宣传教育 提供公共法律服务",
          "法律援助/legal 人民调解/legal 普法宣传/publicity 社区矫正管理/legal"),
    _dept("158", "财政局", "国库集中支付中心 财政投资评审中心",
          "加强预算管理 推进预算绩效管理 规范政府采购",
          "预算绩效评价/survey 财政投资评审/survey 财政信息化运维/it 会计人员培训/training"),
    _dept("160", "水利局", "水利工程管理所 水土保持监测站",
          "保障农村饮水安全 加强水利工程管护 推进水土流失治理",
          "农村饮水安全工程维修/repair 水库运行管护/property 河道保洁/sanitation "
          "水土流失治理/greening 山洪灾害防治/monitoring"),
    _dept("162", "规划和自然资源局", "不动产登记中心 土地整治中心",
          "做好国土空间规划 加强自然资源保护 推进不动产登记",
          "国土空间规划编制/survey 耕地保护/inspection 不动产登记服务/it 地质灾害防治/monitoring"),
    _dept("164", "住房和城乡建设委员会", "建设工程质量安全监督站 住房保障中心",
          "推进老旧小区改造 加强建筑质量安全监管 保障困难群众住房",
          "老旧小区改造/repair 公租房运营管理/property 建筑施工安全监管/inspection "
          "农村危房改造补助/subsidy"),
    _dept("166", "市场监督管理局", "食品药品检验所 市场监管综合行政执法支队",
          "保障食品药品安全 维护市场秩序 优化营商环境",
          "食品安全抽检/inspection 特种设备安全监察/inspection 消费者权益保护/publicity "
          "市场主体登记服务/it"),
    _dept("168", "林业局", "林业技术推广站 国有林场",
          "加强森林资源保护 推进国土绿化 防治林业有害生物",
          "国土绿化提升/greening 森林资源管护/greening 林业有害生物防治/monitoring "
          "天然林保护/greening"),
    _dept("170", "体育局", "体育中心 青少年业余体校",
          "推进全民健身 发展竞技体育 管好公共体育设施",
          "全民健身活动/event 公共体育场馆免费开放/event 体育器材更新/equipment "
          "青少年体育培训/training"),
    _dept("172", "医疗保障局", "医疗保障事务中心",
          "完善医疗保障制度 加强医保基金监管",
          "城乡居民医疗救助/subsidy 医保基金监管/inspection 医保信息化运维/it"),
    _dept("174", "统计局", "社情民意调查中心",
          "开展统计调查 提供统计服务",
          "人口普查/survey 经济普查/survey 统计调查/survey 统计信息化运维/it"),
)

# Projects every unit can have, whatever its department.
COMMON_PROJECTS: tuple[tuple[str, str], ...] = (
    ("物业管理费", "property"), ("信息化系统运维", "it"), ("临聘人员经费", "staff"),
    ("业务培训", "training"), ("办公设备购置", "equipment"), ("宣传经费", "publicity"),
    ("办公用房维修", "repair"), ("公务用车运行维护", "vehicle"), ("办公场地租赁", "lease"),
    ("档案数字化", "it"), ("法律顾问服务", "legal"),
)
STAFF_KINDS = frozenset({"staff"})  # projects coded R (人员类); the rest are T (特定目标类)

# -- catalogue: indicators ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spec:
    """One indicator of the catalogue and how to draw its target value.

    ``value`` is ``int:LO:HI``, ``dec:LO:HI:PLACES``, ``pick:A,B,C`` (one of the texts) or
    ``total`` (the project total in 万元).
    """

    level1: str
    level2: str
    name: str
    unit: str
    operator: str
    value: str

    @property
    def direction(self) -> str:
        return "反向指标" if self.operator == "≤" else "正向指标"


def _specs(level1: str, level2: str, rows: str) -> tuple[Spec, ...]:
    """Specs from lines ``名称 单位 性质 取值`` (``-`` for a blank unit)."""
    specs = []
    for row in rows.strip().splitlines():
        name, unit, operator, value = row.split()
        specs.append(Spec(level1, level2, name, "" if unit == "-" else unit, operator, value))
    return tuple(specs)


def _out(level2: str, rows: str) -> tuple[Spec, ...]:
    return _specs("产出指标", level2, rows)


PCT_HIGH = "pick:95,96,98,99,100"
PCT_MID = "pick:80,85,90,95"
PCT_SATISFIED = "pick:85,90,90,95,95,95,96,98"

KIND_OUTPUTS: dict[str, tuple[Spec, ...]] = {
    "training": _out("数量指标", """
        培训人次 人次 ≥ int:200:3000
        培训场次 场次 ≥ int:2:30
        培训天数 天 = int:2:20
        参训单位数 个 ≥ int:5:60
    """) + _out("质量指标", "培训合格率 % ≥ " + PCT_MID),
    "property": _out("数量指标", """
        物业管护面积 平方米 = int:2000:50000
        保洁人员数 名 = int:5:40
        安保人员数 名 = int:3:20
        绿化养护面积 平方米 ≥ int:500:20000
    """) + _out("质量指标", "安全事故发生次数 次 ≤ pick:0"),
    "it": _out("数量指标", """
        运维系统数量 个 = int:1:20
        网络专线数量 条 = int:1:6
        终端设备数量 台 ≥ int:20:1500
    """) + _out("质量指标", "系统正常运行率 % ≥ pick:98,99,99.5,99.9")
    + _out("时效指标", "故障响应时间 小时 ≤ pick:0.5,1,2,4"),
    "staff": _out("数量指标", """
        聘用人数 名 = int:2:60
        服务窗口数量 个 = int:3:40
    """) + _out("质量指标", "人员到岗率 % ≥ " + PCT_HIGH),
    "equipment": _out("数量指标", """
        购置设备数量 台 = int:1:200
        购置设备种类 种 = int:1:15
    """) + _out("质量指标", "设备验收合格率 % = pick:100"),
    "publicity": _out("数量指标", """
        宣传活动次数 次 ≥ int:2:50
        宣传资料发放数量 份 ≥ int:500:50000
        媒体宣传报道 篇 ≥ int:5:100
    """),
    "repair": _out("数量指标", """
        维修改造面积 平方米 ≥ int:100:20000
        维修项目数 个 = int:1:30
    """) + _out("质量指标", "工程验收合格率 % = pick:100")
    + _out("时效指标", "工程完工及时率 % ≥ " + PCT_HIGH),
    "vehicle": _out("数量指标", """
        保障车辆数 辆 = int:1:30
        安全行驶里程 公里 ≥ int:10000:500000
    """) + _out("质量指标", "交通安全事故次数 次 ≤ pick:0"),
    "subsidy": _out("数量指标", """
        补助对象人数 人 ≥ int:50:20000
        补助户数 户 ≥ int:30:8000
    """) + _out("质量指标", "补助发放准确率 % = pick:100")
    + _out("时效指标", "补助资金发放及时率 % ≥ " + PCT_HIGH)
    + _out("成本指标", "人均补助标准 元/人·月 = pick:200,300,420,500,650"),
    "monitoring": _out("数量指标", """
        监测点位数 个 ≥ int:3:120
        监测样本数量 份 ≥ int:100:10000
        监测频次 次/年 ≥ pick:4,12,24,52
    """) + _out("质量指标", "监测数据有效率 % ≥ " + PCT_HIGH),
    "event": _out("数量指标", """
        举办活动场次 场 ≥ int:1:50
        服务人次 人次 ≥ int:100:20000
        免费服务事项数 项 = int:3:80
    """),
    "road": _out("数量指标", """
        养护里程 公里 ≥ int:10:800
        危桥改造数量 座 = int:1:10
        安全隐患整治 处 ≥ int:5:200
    """) + _out("质量指标", "路况优良率 % ≥ " + PCT_MID),
    "greening": _out("数量指标", """
        新增绿化面积 亩 ≥ int:50:5000
        植树数量 株 ≥ int:500:50000
        管护面积 亩 ≥ int:100:30000
    """) + _out("质量指标", "苗木成活率 % ≥ pick:85,90,95"),
    "sanitation": _out("数量指标", """
        垃圾清运量 吨 ≥ int:1000:80000
        公厕管护数量 座 = int:10:200
        道路清扫面积 万平方米 ≥ dec:10:500:1
    """) + _out("质量指标", "清扫保洁达标率 % ≥ " + PCT_HIGH),
    "medical": _out("数量指标", """
        服务人口数 万人 ≥ dec:5:90:1
        免费体检人数 人 ≥ int:500:50000
        签约服务人数 人 ≥ int:1000:80000
    """) + _out("质量指标", "规范管理率 % ≥ " + PCT_MID),
    "legal": _out("数量指标", """
        法律援助案件数 件 ≥ int:50:2000
        人民调解案件数 件 ≥ int:100:5000
        普法宣传场次 场次 ≥ int:5:100
    """) + _out("质量指标", "调解成功率 % ≥ " + PCT_MID),
    "rescue": _out("数量指标", """
        应急演练次数 次 ≥ int:1:12
        应急物资储备品种 种 ≥ int:5:40
        救援队伍人数 人 ≥ int:20:300
    """) + _out("时效指标", "应急响应时间 分钟 ≤ pick:15,30,60"),
    "lease": _out("数量指标", """
        租赁面积 平方米 = int:100:5000
        租赁期限 月 = pick:12
    """),
    "inspection": _out("数量指标", """
        检查企业数 家 ≥ int:50:3000
        抽检批次 批次 ≥ int:100:5000
        执法检查次数 次 ≥ int:10:500
    """) + _out("质量指标", "抽检合格率 % ≥ " + PCT_MID),
    "survey": _out("数量指标", """
        调查样本户数 户 ≥ int:100:3000
        评价项目数 个 ≥ int:5:120
        报告数量 份 = int:1:20
    """) + _out("质量指标", "报告按时提交率 % = pick:100"),
}

OUTPUT_ORDER = ("数量指标", "质量指标", "时效指标", "成本指标")
GENERIC_OUTPUTS: tuple[Spec, ...] = _out("质量指标", f"""
    资金使用合规率 % = pick:100
    任务完成率 % ≥ {PCT_HIGH}
    服务达标率 % ≥ {PCT_HIGH}
""") + _out("时效指标", f"""
    资金拨付及时率 % ≥ {PCT_HIGH}
    项目完成及时率 % ≥ {PCT_HIGH}
    完成时限 月 ≤ pick:6,10,12
""") + _out("成本指标", "项目预算控制数 万元 ≤ total")

EFFECTS: tuple[Spec, ...] = _specs("效益指标", "社会效益指标", f"""
    群众办事便利度 - 定性 pick:有效提升,明显提升,显著提升
    政策知晓率 % ≥ {PCT_MID}
    服务覆盖率 % ≥ {PCT_HIGH}
    群众办事跑腿次数 次 ≤ pick:1
    公共服务水平 - 定性 pick:有效提升,持续提升
    受益人数 人 ≥ int:100:50000
    社会稳定 - 定性 pick:有效维护,持续稳定
""") + _specs("效益指标", "经济效益指标", """
    减少群众办事成本 元 ≥ int:10000:500000
    带动就业人数 人 ≥ int:10:500
    带动农户增收 元/户 ≥ int:500:3000
""") + _specs("效益指标", "生态效益指标", """
    生活垃圾无害化处理率 % ≥ pick:95,98,100
    空气质量优良天数比例 % ≥ pick:80,85,88.5,90
    森林覆盖率 % ≥ dec:45:60:1
""") + _specs("效益指标", "可持续影响指标", """
    设施设备使用年限 年 ≥ int:3:10
    长效管护机制 - 定性 pick:健全,逐步健全,建立
    可持续运转周期 年 ≥ int:1:5
""")

SATISFACTION: tuple[Spec, ...] = _specs("满意度指标", "服务对象满意度指标", f"""
    群众满意率 % ≥ {PCT_SATISFIED}
    服务对象满意度 % ≥ {PCT_SATISFIED}
    受益群众满意度 % ≥ {PCT_SATISFIED}
    工作人员和群众满意率 % ≥ {PCT_SATISFIED}
""")
TRAINEE_SATISFACTION = Spec("满意度指标", "服务对象满意度指标", "参训人员满意度", "%", "≥",
                            PCT_SATISFIED)

COSTS: tuple[Spec, ...] = _specs("成本指标", "经济成本指标", "项目总成本 万元 ≤ total")

# -- catalogue: prose ------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅晓东海燕"
COMPANIES = ("科技", "物业管理", "信息技术", "建设工程", "环境服务", "文化传媒", "咨询")
KIND_ACTIONS: dict[str, str] = {
    "training": "组织开展业务能力、政策法规等系列培训，进一步提升工作人员综合素质",
    "property": "委托专业物业公司提供保洁、安保、绿化、设施设备维护等物业服务",
    "it": "对信息系统、网络专线和终端设备进行日常运行维护和数据及时更新",
    "staff": "聘用编外工作人员协助窗口受理、咨询引导和后台办理等工作",
    "equipment": "按照政府采购程序购置办公及业务设备，保障日常工作需要",
    "publicity": "通过报刊、网络、新媒体和现场活动等方式开展宣传",
    "repair": "对存在安全隐患的设施开展维修改造，改善工作和服务环境",
    "vehicle": "保障公务用车燃油、维修、保险等运行费用",
    "subsidy": "按照规定标准及时足额发放补助资金，确保政策落实到位",
    "monitoring": "开展日常监测和风险排查，及时掌握动态并处置异常情况",
    "event": "面向群众提供免费服务，举办形式多样的惠民活动",
    "road": "实施日常养护和病害处治，消除安全隐患，保障道路通行安全",
    "greening": "开展植树造林和日常管护，巩固绿化成果",
    "sanitation": "实施道路清扫保洁和垃圾清运处理，保持环境整洁",
    "medical": "为辖区居民提供健康管理、随访和健康教育等基本服务",
    "legal": "为困难群众提供法律咨询、法律援助和矛盾纠纷调解服务",
    "rescue": "储备应急物资并开展应急演练，提升突发事件处置能力",
    "lease": "租赁业务用房，保障工作正常开展",
    "inspection": "开展日常监督检查和专项整治，依法查处违法违规行为",
    "survey": "委托第三方机构开展调查评价，形成报告供决策参考",
}
COST_ITEMS = ("人员经费", "劳务费", "服务费", "运行维护费", "耗材费", "设备购置费", "印刷费",
              "场地租赁费", "委托业务费", "专用材料费")
EFFECT_SENTENCES = (
    "通过项目实施，有效提升服务质量和群众满意度，实现办事最多跑一次。",
    "项目实施后，将进一步改善服务环境，群众获得感、幸福感明显增强。",
    "确保资金使用安全、规范、有效，充分发挥财政资金使用效益。",
    "项目建成后可长期发挥作用，为区域经济社会发展提供有力保障。",
)
MANAGEMENT_SENTENCES = (
    "项目资金严格按照有关资金管理办法管理，专款专用，不得挤占挪用。",
    "项目实行全过程绩效管理，定期开展绩效运行监控，及时纠正偏差。",
    "年底前完成全部工作任务并组织验收，验收结果向社会公开。",
)
