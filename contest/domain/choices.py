"""The fixed lists of the need-collection form and the organization record."""
from __future__ import annotations

from enum import Enum


class OrgKind(str, Enum):
    ENTERPRISE = "enterprise"        # 企业
    UNIVERSITY = "university"        # 高校
    INSTITUTE = "institute"          # 科研院所
    MEDICAL = "medical"              # 医疗卫生机构
    SOCIAL = "social"                # 社会组织
    OTHER = "other"                  # 其他


class MarketLevel(str, Enum):
    """The three levels of the 1+12+13 network."""

    CITY = "city"                    # 市科技大市场 (1)
    SUB = "sub"                      # 分市场: districts, counties, development zones (12)
    PROFESSIONAL = "professional"    # 专业市场 run with an association or chamber (13)


class BrokerLevel(str, Enum):
    JUNIOR = "junior"                # 初级
    INTERMEDIATE = "intermediate"    # 中级
    SENIOR = "senior"                # 高级


class NeedCategory(str, Enum):
    INDUSTRY_COMMON = "industry_common"      # 行业重大关键共性
    REGIONAL_COMMON = "regional_common"      # 区域产业关键共性
    FIRM_SPECIFIC = "firm_specific"          # 企业个性化


class NeedField(str, Enum):
    ELECTRONIC_INFO = "electronic_info"      # 电子信息
    MECHATRONICS = "mechatronics"            # 光机电一体化
    BIOTECH_PHARMA = "biotech_pharma"        # 生物技术与制药
    NEW_MATERIALS = "new_materials"          # 新材料及应用
    MODERN_AGRICULTURE = "modern_agriculture"  # 现代农业
    NEW_ENERGY = "new_energy"                # 新能源与高效节能
    RESOURCES_ENVIRONMENT = "resources_environment"  # 资源与环境
    HIGH_TECH_SERVICES = "high_tech_services"  # 高技术服务业
    MARINE = "marine"                        # 海洋
    PUBLIC_AFFAIRS = "public_affairs"        # 社会公共事业
    HEALTHCARE = "healthcare"                # 医疗卫生
    OTHER = "other"                          # 其他


class CooperationMode(str, Enum):
    INDEPENDENT = "independent"      # 独立研发
    COMMISSIONED = "commissioned"    # 委托研发
    JOINT = "joint"                  # 合作研发
    OTHER = "other"                  # 其他


TEXT_LIMIT = 500          # 主要问题、技术关键、预期目标 each at most 500 characters
KEYWORDS_MIN, KEYWORDS_MAX = 1, 5
