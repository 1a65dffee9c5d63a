"""The League's closed lists: what an organisation, a member's status, ID and posts can be,
each with its Chinese label. Shared by the models, the services and the screens."""

from __future__ import annotations

from enum import StrEnum

UNKNOWN = "未填"  # shown for a value nobody recorded; never replaced by a guess


class OrgKind(StrEnum):
    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    BRANCH = "branch"

    @property
    def label(self) -> str:
        return {"committee": "团委", "general_branch": "团总支", "branch": "团支部"}[self.value]


class BranchNature(StrEnum):
    """常设 branches are rated (对标定级); 流动、临时 and 待转接 ones are not."""

    REGULAR = "regular"
    MOBILE = "mobile"
    TEMPORARY = "temporary"
    PENDING_TRANSFER = "pending_transfer"

    @property
    def label(self) -> str:
        return {
            "regular": "常设团支部",
            "mobile": "流动团支部",
            "temporary": "临时团支部",
            "pending_transfer": "待转接团支部",
        }[self.value]


class KeyEnd(StrEnum):
    """Why a registered signing key was ended: it decides what is still accepted from it
    (services/receiving/registry.py)."""

    HANDOVER = "handover"  # 换届 or a routine new key: the old one is still in safe hands
    COMPROMISED = "compromised"  # lost, stolen or seen by others

    @property
    def label(self) -> str:
        return {"handover": "换届或换用新密钥", "compromised": "丢失、被盗或泄露"}[self.value]


class Sector(StrEnum):
    """Where the organisation stands; the last three are the "三新" fields."""

    MIDDLE_SCHOOL = "middle_school"
    HIGH_SCHOOL = "high_school"
    VOCATIONAL_SCHOOL = "vocational_school"
    VILLAGE = "village"
    COMMUNITY = "community"
    TOWNSHIP = "township"  # a 乡镇团委 over its villages
    PUBLIC_INSTITUTION = "public_institution"
    STATE_ENTERPRISE = "state_enterprise"
    NEW_ECONOMIC = "new_economic"
    NEW_SOCIAL = "new_social"
    NEW_EMPLOYMENT = "new_employment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _SECTOR_LABELS[self]

    @property
    def is_school(self) -> bool:
        return self in (Sector.MIDDLE_SCHOOL, Sector.HIGH_SCHOOL, Sector.VOCATIONAL_SCHOOL)

    @property
    def is_new_field(self) -> bool:
        """三新: new economic and social organisations and the new employment groups."""
        return self in (Sector.NEW_ECONOMIC, Sector.NEW_SOCIAL, Sector.NEW_EMPLOYMENT)


_SECTOR_LABELS = {
    Sector.MIDDLE_SCHOOL: "初级中学",
    Sector.HIGH_SCHOOL: "普通高中",
    Sector.VOCATIONAL_SCHOOL: "中等职业学校",
    Sector.VILLAGE: "村（农村）",
    Sector.COMMUNITY: "社区（街道）",
    Sector.TOWNSHIP: "乡镇",
    Sector.PUBLIC_INSTITUTION: "机关事业单位",
    Sector.STATE_ENTERPRISE: "国有企业",
    Sector.NEW_ECONOMIC: "新经济组织（非公企业）",
    Sector.NEW_SOCIAL: "新社会组织（社会组织）",
    Sector.NEW_EMPLOYMENT: "新就业群体（快递、外卖、网约车等）",
    Sector.OTHER: "其他",
}


class Labeled(StrEnum):
    """An enum whose Chinese label is looked up in the subclass's `_labels`."""

    @property
    def label(self) -> str:
        return type(self)._labels()[self.value]

    @classmethod
    def _labels(cls) -> dict[str, str]:
        raise NotImplementedError

    @classmethod
    def from_label(cls, text: str) -> Labeled | None:
        for value, label in cls._labels().items():
            if text in (label, value):
                return cls(value)
        return None


class MemberStatus(Labeled):
    ACTIVE = "active"
    AGED_OUT = "aged_out"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"
    TRANSFERRED_OUT = "transferred_out"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "active": "正常",
            "aged_out": "满28周岁离团",
            "lapsed": "自行脱团",
            "withdrawn": "自愿退团",
            "expelled": "开除团籍",
            "transferred_out": "已转出",
        }


class PoliticalStatus(Labeled):
    LEAGUE = "league"
    PARTY_PROBATIONARY = "party_probationary"
    PARTY = "party"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"league": "团员", "party_probationary": "中共预备党员", "party": "中共党员"}


class IdType(Labeled):
    RESIDENT = "resident"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"resident": "居民身份证", "other": "境外证件"}


EDUCATION_LEVELS = (
    "小学",
    "初中",
    "高中",
    "中专",
    "大专",
    "大学本科",
    "硕士研究生",
    "博士研究生",
    "初中在读",
    "高中在读",
    "中专在读",
    "大专在读",
    "大学本科在读",
    "硕士研究生在读",
    "博士研究生在读",
)
OCCUPATIONS = (
    "学生",
    "农民",
    "国有企业职工",
    "非公有制企业职工",
    "机关事业单位职工",
    "社会组织员工",
    "自由职业者",
    "教职工",
    "其他",
)
LEAGUE_POSTS = ("书记", "副书记", "组织委员", "宣传委员", "文体委员", "其他")


# The 56 民族 as GB/T 3304 names them (a list writing 汉 means 汉族).
ETHNIC_GROUPS = frozenset(
    (
        "汉族",
        "蒙古族",
        "回族",
        "藏族",
        "维吾尔族",
        "苗族",
        "彝族",
        "壮族",
        "布依族",
        "朝鲜族",
        "满族",
        "侗族",
        "瑶族",
        "白族",
        "土家族",
        "哈尼族",
        "哈萨克族",
        "傣族",
        "黎族",
        "傈僳族",
        "佤族",
        "畲族",
        "高山族",
        "拉祜族",
        "水族",
        "东乡族",
        "纳西族",
        "景颇族",
        "柯尔克孜族",
        "土族",
        "达斡尔族",
        "仫佬族",
        "羌族",
        "布朗族",
        "撒拉族",
        "毛南族",
        "仡佬族",
        "锡伯族",
        "阿昌族",
        "普米族",
        "塔吉克族",
        "怒族",
        "乌孜别克族",
        "俄罗斯族",
        "鄂温克族",
        "德昂族",
        "保安族",
        "裕固族",
        "京族",
        "塔塔尔族",
        "独龙族",
        "鄂伦春族",
        "赫哲族",
        "门巴族",
        "珞巴族",
        "基诺族",
    )
)


class DuesCategory(Labeled):
    """What a member's 团费 is reckoned from (中青发〔2016〕13号); the amounts are the rule
    profile's (`dues`)."""

    SALARIED = "salaried"
    SELF_EMPLOYED = "self_employed"
    FARMER = "farmer"
    STUDENT = "student"
    NO_INCOME = "no_income"
    RELIEF = "relief"
    PARTY_PROBATIONARY = "party_probationary"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "salaried": "工薪收入（按税后月收入）",
            "self_employed": "年薪制、个体或自由职业（按月平均收入）",
            "farmer": "农民",
            "student": "学生",
            "no_income": "无固定收入或失业",
            "relief": "领取最低生活保障等救济",
            "party_probationary": "已成为预备党员（可不再交纳）",
        }

    @property
    def by_income(self) -> bool:
        return self in (DuesCategory.SALARIED, DuesCategory.SELF_EMPLOYED)


class DuesEntryKind(Labeled):
    PAYMENT = "payment"
    EXEMPTION = "exemption"  # 减免, with its approval
    EXTRA = "extra"  # voluntarily more: kept apart from what was owed
    REVERSAL = "reversal"  # a correction: the entry it cancels stays

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"payment": "交纳", "exemption": "减免", "extra": "自愿多交", "reversal": "冲销"}


class DuesPurpose(Labeled):
    """What 团费 may be spent on (中青发〔2016〕13号 第十二条), decided collectively."""

    TRAINING = "training"
    STUDY = "study"
    EMBLEMS = "emblems"
    COMMENDATION = "commendation"
    HARDSHIP = "hardship"
    DISASTER = "disaster"
    ACTIVITIES = "activities"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "training": "培训团员和团干部",
            "study": "购买团员学习资料",
            "emblems": "制作团旗、团徽等",
            "commendation": "表彰先进团组织和优秀团员、团干部",
            "hardship": "慰问生活困难团员",
            "disaster": "支援灾区团员",
            "activities": "基层团组织开展活动",
        }


class DuesMoneyKind(Labeled):
    """The money side of the book: what left the branch's keeping, and the handovers."""

    HANDED_UP = "handed_up"  # 上缴 to the committee, with its receipt
    SPENT = "spent"  # on one of the purposes, with the meeting that decided it
    HANDOVER = "handover"  # the balance counted and passed between secretaries
    REVERSAL = "reversal"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"handed_up": "上缴", "spent": "支出", "handover": "交接", "reversal": "冲销"}


class UnitChange(Labeled):
    """What happened to a unit in the committee's register, on a day: any period's
    coverage is read from these."""

    LISTED = "listed"  # in the register from this day (a unit that should have a branch)
    SET_UP = "set_up"  # its League organisation established
    REORGANISED = "reorganised"  # merged, or organised another way
    DISSOLVED = "dissolved"  # its League organisation dissolved
    GONE = "gone"  # the unit itself ceased (villages merged, a firm closed)

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "listed": "列入名录",
            "set_up": "建立团组织",
            "reorganised": "调整组建方式",
            "dissolved": "撤销团组织",
            "gone": "单位撤并或注销",
        }


class OrgForm(Labeled):
    """How a unit's League organisation is set up."""

    OWN = "own"  # 单独组建
    JOINT = "joint"  # 联合组建
    SECTOR_COMMITTEE = "sector_committee"  # 行业团工委

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"own": "单独组建", "joint": "联合组建", "sector_committee": "行业团工委"}


class FourHas(Labeled):
    """四有: what a grassroots organisation should have."""

    TEAM = "team"
    ACTIVITIES = "activities"
    VENUE = "venue"
    RECORDS = "records"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"team": "有班子", "activities": "有活动", "venue": "有阵地", "records": "有档案"}


class CadreNature(Labeled):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    SECONDED = "seconded"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"full_time": "专职", "part_time": "兼职", "seconded": "挂职"}


class Grade(Labeled):
    """A 考评 grade: the Party organisation's, the members' votes, and the result."""

    EXCELLENT = "excellent"
    COMPETENT = "competent"
    BASIC = "basic"
    INCOMPETENT = "incompetent"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "excellent": "优秀",
            "competent": "称职",
            "basic": "基本称职",
            "incompetent": "不称职",
        }


class TransferCause(Labeled):
    """智慧团建's cause codes for a 组织关系转接."""

    STUDY = "study"
    WORK = "work"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"study": "升学/转学", "work": "就业/工作调动", "other": "其他"}

    @classmethod
    def from_text(cls, text: str) -> TransferCause | None:
        """The label, the code, or the short words a secretary types (升学, 就业)."""
        text = text.strip()
        short = {"升学": "study", "转学": "study", "就业": "work", "工作调动": "work"}
        return cls.from_label(text) or (cls(short[text]) if text in short else None)


class TransferState(Labeled):
    """Where one transfer stands. Out: 转出中 until the receipt comes back (the member is
    still on the sender's books), then 已转出; 已撤回 when it did not happen. In: 已转入."""

    PENDING = "pending"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    RECEIVED = "received"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"pending": "转出中", "done": "已转出", "withdrawn": "已撤回", "received": "已转入"}


class Paper(Labeled):
    """The papers of a member's 团员档案 (the 成长档案's checklist)."""

    APPLICATION = "application"
    VOLUNTEER_FORM = "volunteer_form"
    MEMBER_CARD = "member_card"
    LETTER = "letter"
    REGISTER_FORM = "register_form"
    EVALUATION_FORMS = "evaluation_forms"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "application": "入团申请书",
            "volunteer_form": "入团志愿书",
            "member_card": "团员证",
            "letter": "组织关系介绍信",
            "register_form": "团员登记表",
            "evaluation_forms": "团员教育评议表",
        }
