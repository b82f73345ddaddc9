"""The named queries in the reader's language: the Chinese of their summaries, parameter help, column
names and some descriptions (the ``#+`` headers of ``queries/*.rq`` are in English; this is the one table
of their Chinese, UI text translated by hand), column names in words, and the cells of a result table
formatted for the language.

A text with no entry here stays English (``lang="en"`` on the page); tests/test_web.py checks that every
summary, parameter help and column of the named queries has one.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .names import format_value

__all__ = [
    "COLUMNS_ZH",
    "DESCRIPTIONS_ZH",
    "PARAM_DOCS_ZH",
    "SUMMARIES_ZH",
    "column_heading",
    "localized",
    "number_text",
    "param_doc",
    "summary",
]

#: The summary line of each named query, in Chinese.
SUMMARIES_ZH = {
    "above-threshold": "某一年某项指标超过阈值的集群、板块或地区",
    "achievement-claims": "技术与集群的成就声明（突破、创新、举措、世界首创），按其涉及的技术和集群列出",
    "announcement-by-cluster": "对某版本的每个集群，下一版本的发布说了什么：重点方向、计划措施、引文",
    "announcement": "某版本的发布：由谁、何时、何地、在哪份文件中发布，以及发布了什么",
    "citations": "所有引用：每条陈述所依据的来源，以及从每个来源引用的原话",
    "clusters": "某政策版本的集群，两个层级，按板块分组",
    "conflicts": "相互冲突的数据：同一指标、对象、时期和口径下不可能同时成立的数值",
    "corrections": "图谱的更正：改了什么、从什么改为什么、原因、依据哪些来源、何时",
    "counts": "每个版本各层级有多少集群，以及板块和已宣布的重点方向",
    "event-clusters": "每个调整事件：它取走和给出的集群，以及与之相竞争的说法",
    "event-types": "调整事件的类型：本体所定义的名称和颜色",
    "events": "某版本的调整事件，按类型列出",
    "figures": "所有数据：观测值和目标值，及其指标、对象、时期、数值和限定词",
    "growth": "某指标两年之间的增长：变化量、百分比和年均复合增长率（基于可比数值）",
    "labels": "事物的名称：每个 IRI 在各语言中的标签、标题和名称",
    "lineage": "某集群的沿革：各版本中在它之前和之后的调整事件",
    "links-to": "哪些内容指向某一事物：以它为某属性取值的 IRI",
    "measures": "数据所用的指标：其单位，以及使用它的观测值和目标值的数量",
    "memberships": "成员关系：哪个集群属于哪个版本，每条都是一条附有来源的陈述",
    "metric-series": "某对象某指标的时间序列：逐期的每个观测值",
    "ontology-axioms": "本体术语之间的关系：子类、定义域和值域，以及个体所属的类",
    "ontology-terms": "本体的术语：它定义的每个类、属性和个体，及其定义",
    "priorities": "随某版本发布或在相关文件中提出的重点方向（不属于名单成员）",
    "properties": "图谱关于某一事物的全部内容：某 IRI 的每个属性及其取值",
    "search": "按名称查找任何内容，可用英文或中文",
    "single-source-statements": "仅依据单一来源的陈述：若该来源有误，哪些内容将不成立",
    "sources-of": "某条陈述背后的来源，以及每个来源的原话",
    "statements-from-source": "依据某一来源的所有陈述，以及所依据的原话",
    "targets-vs-actuals": "目标与实际：每个目标是否达成，以及达成程度",
    "taxonomy-as-of": "某日期的分类体系：当时现行的版本及其集群",
    "uncertain-facts": "未经确认的事实：次要来源或不确定的陈述、分组和日期",
    "version-diff": "两个版本之间的变化：逐个集群列出每个调整事件",
    "versions": "政策版本：状态、发布或宣布、各自修订的对象，以及相关文件",
}

#: The longer description of a named query, in Chinese, where translated (the others stay English, marked so).
DESCRIPTIONS_ZH = {
    "clusters": (
        "该版本的每个集群一行：先列战略性新兴产业集群，再列未来产业。同一层级内，同一板块的集群排在一起"
        "（板块按其第一个集群在名单中的位置排序），并按该版本名单的顺序排列。不指定版本时，列出所有版本的集群。"
    ),
    "versions": (
        "每个版本和政策文件一行（没有已知文件的版本占一行）。发布日期按已知的精度给出：YYYY-MM-DD、YYYY-MM 或 YYYY。"
    ),
    "counts": (
        "每个版本和层级（sei、future）一行，包括为零的情况：3.0版已宣布但名单未知，"
        "因此没有集群，只有随之提出的重点方向。"
    ),
    "search": (
        "图谱中名称、别名、标题或短名（IRI 的末段）包含该文字（不区分大小写）的事物"
        "（集群、板块、版本、文件、指标、事件、地区、机构、来源、重点方向、时期、计划措施、声明、技术）。"
        "完全匹配的排在最前，其次是以该文字开头的名称，然后是其余结果。该文字只作为普通值，绝不作为 SPARQL："
        "引号、花括号等字符按原样查找。"
    ),
    "priorities": (
        "3.0版已宣布，但其集群名单未知；随宣布一同提出的产业（见2026年政府工作报告）记为其重点方向，"
        "各附确定程度。中共深圳市委关于“十五五”规划的建议等文件也提出了自己的重点方向：它们属于该文件"
        "（document 列），除非有来源将其与某个版本相关联，否则不属于任何版本。每个重点方向一行，按版本"
        "（不属于任何版本的排在最后）、层级和名称排序；指定版本时，只列出该版本的。"
    ),
}

#: Parameter help, by its English text (several queries share one).
PARAM_DOCS_ZH = {
    "The language of the labels, en or zh (falls back to en).": "标签的语言，en 或 zh（缺失时用 en）。",
    "The language of the labels, en or zh.": "标签的语言，en 或 zh。",
    "The language of the names, en or zh (falls back to en).": "名称的语言，en 或 zh（缺失时用 en）。",
    "The language of the label shown, en or zh (falls back to en).": "所显示标签的语言，en 或 zh（缺失时用 en）。",
    "What the figures are about: place/shenzhen, cluster/SLUG or sector/SLUG.": (
        "数据的对象：place/shenzhen、cluster/SLUG 或 sector/SLUG。"
    ),
    "The version.": "版本。",
    "The version whose clusters are listed (the next version is the one that revises it).": (
        "列出其集群的版本（下一版本即修订它的版本）。"
    ),
    "The version that made the changes.": "做出这些变化的版本。",
    "The value to exceed, in the measure's unit.": "要超过的数值，以该指标的单位计。",
    "The text to look for, in English or Chinese.": "要查找的文字，英文或中文。",
    "The statement's IRI, or its path under https://w3id.org/sz20plus8/.": (
        "陈述的 IRI，或其在 https://w3id.org/sz20plus8/ 下的路径。"
    ),
    "The source: its slug (as in graph/sources.csv) or IRI.": "来源：其短名（同 graph/sources.csv）或 IRI。",
    "The policy version number (default: every version).": "政策版本号（默认：所有版本）。",
    "The measure.": "指标。",
    "The measure, such as sei-added-value, sei-added-value-share-of-gdp or gdp.": (
        "指标，例如 sei-added-value、sei-added-value-share-of-gdp 或 gdp。"
    ),
    "The measure, such as sei-added-value or gdp.": "指标，例如 sei-added-value 或 gdp。",
    "The later year.": "较晚的年份。",
    "The later version.": "较新的版本。",
    "The earlier year.": "较早的年份。",
    "The earlier version.": "较早的版本。",
    "The date, YYYY-MM-DD.": "日期，格式 YYYY-MM-DD。",
    "The cluster: its slug, IRI, or English or Chinese name.": "集群：其短名、IRI，或英文或中文名称。",
    "The calendar year.": "公历年份。",
    "The IRI, or its path under https://w3id.org/sz20plus8/ (such as sector/digital-and-fashion).": (
        "IRI，或其在 https://w3id.org/sz20plus8/ 下的路径（例如 sector/digital-and-fashion）。"
    ),
    "The IRI, or its path under https://w3id.org/sz20plus8/ (such as cluster/robotics).": (
        "IRI，或其在 https://w3id.org/sz20plus8/ 下的路径（例如 cluster/robotics）。"
    ),
    "Only this cluster (its slug, IRI, or English or Chinese name); default every cluster of the version.": (
        "仅限此集群（其短名、IRI，或英文或中文名称）；默认为该版本的所有集群。"
    ),
    "Only the targets set by this version (default: every version).": "仅限此版本设定的目标（默认：所有版本）。",
    "Only the priorities of this version (default: every version).": "仅限此版本的重点方向（默认：所有版本）。",
    "Only the names of this IRI (default: of every IRI).": "仅限此 IRI 的名称（默认：所有 IRI）。",
    "Only the memberships of this version.": "仅限此版本的成员关系。",
    "Only the memberships of this cluster (its IRI, or its path such as cluster/robotics).": (
        "仅限此集群的成员关系（其 IRI，或路径，例如 cluster/robotics）。"
    ),
    "Only the figures about this subject (its IRI, or its path such as place/shenzhen or cluster/robotics).": (
        "仅限关于此对象的数据（其 IRI，或路径，例如 place/shenzhen 或 cluster/robotics）。"
    ),
    "Only the events this version made (default: every version's).": "仅限此版本做出的事件（默认：所有版本）。",
    "Only the claims that concern this cluster (its slug, IRI, or English or Chinese name); default every claim.": (
        "仅限涉及此集群的声明（其短名、IRI，或英文或中文名称）；默认为所有声明。"
    ),
    "Only the citations of this statement (its IRI, or its path under https://w3id.org/sz20plus8/).": (
        "仅限此陈述的引用（其 IRI，或其在 https://w3id.org/sz20plus8/ 下的路径）。"
    ),
    "Only targets of this measure (default: every measure).": "仅限此指标的目标（默认：所有指标）。",
    "Only subjects of this kind: place, cluster or sector (default: every kind).": (
        "仅限此类对象：place（地区）、cluster（集群）或 sector（板块）（默认：所有类别）。"
    ),
    "Only statements resting on this source alone (default: every source).": (
        "仅限只依据此来源的陈述（默认：所有来源）。"
    ),
    "Only periods that start in this year or later.": "仅限始于该年或之后的时期。",
    "Only periods that end in this year or earlier.": "仅限止于该年或之前的时期。",
    "Only figures of this measure (default: every measure).": "仅限此指标的数据（默认：所有指标）。",
    "Only facts of this certainty: confirmed, secondary or uncertain (default: secondary and uncertain).": (
        "仅限此确定程度的事实：confirmed（已确认）、secondary（次要来源）或 uncertain（不确定）"
        "（默认：次要来源和不确定）。"
    ),
    "Only events of this type (default: every type).": "仅限此类型的事件（默认：所有类型）。",
    "Only corrections made on or after this day (default: every correction).": (
        "仅限该日或之后所做的更正（默认：所有更正）。"
    ),
}

#: Column names in Chinese words.
COLUMNS_ZH = {
    "about": "涉及", "actual": "实际", "actualCertainty": "实际值确定程度", "actualQualifier": "实际值限定词",
    "actualValue": "实际值", "after": "之后", "announced": "宣布日期", "announcedBy": "宣布者",
    "annualRatePercent": "年均增长率（%）", "aspect": "方面", "axiom": "公理", "before": "之前",
    "certainty": "确定程度", "change": "变化", "changePercent": "变化（%）", "claim": "声明",
    "claimLabel": "声明名称", "cluster": "集群", "clusterLabel": "集群名称", "clusters": "集群",
    "colour": "颜色", "competingClaim": "竞争说法", "contested": "有争议", "correction": "更正",
    "datatype": "数据类型", "date": "日期", "definition": "定义", "difference": "差额", "direction": "方向",
    "document": "文件", "documentTitle": "文件标题", "end": "结束", "event": "事件", "figure": "数据",
    "fromCluster": "原集群", "fromClusters": "原集群", "fromLabel": "原名称", "fromLabels": "原名称",
    "fromObservation": "起始观测值", "fromSector": "原板块", "fromTier": "原层级", "fromValue": "起始值",
    "issued": "发布日期", "issuedCertainty": "发布日期确定程度", "kind": "类别", "label": "名称",
    "language": "语言", "link": "链接", "linkCertainty": "链接确定程度", "locator": "位置",
    "lowerBound": "下限", "matched": "匹配", "measure": "指标", "measureLabel": "指标名称", "membership": "成员关系",
    "mention": "提及", "met": "是否达成", "node": "节点", "object": "对象", "observation": "观测值",
    "observations": "观测值", "occasion": "场合", "order": "顺序", "page": "页面", "period": "时期",
    "plan": "计划", "planCertainty": "计划确定程度", "planLabel": "计划名称", "plannedFor": "计划期限",
    "position": "序号", "priorities": "重点方向", "priority": "重点方向", "priorityCertainty": "重点方向确定程度",
    "priorityLabel": "重点方向名称", "property": "属性", "publisher": "发布者", "qualifier": "限定词",
    "quote": "引文", "rank": "排名", "ratio": "比率", "release": "发布", "reportedText": "报道原文",
    "revises": "修订", "score": "得分", "sector": "板块", "sectorCertainty": "板块确定程度",
    "sectorLabel": "板块名称", "sectors": "板块", "source": "来源", "sourceKind": "来源类别",
    "sourceTitle": "来源标题", "sources": "来源", "start": "开始", "statement": "陈述", "status": "状态",
    "subject": "对象", "subjectKind": "对象类别", "subjectLabel": "对象名称", "target": "目标",
    "targetCertainty": "目标确定程度", "targetQualifier": "目标限定词", "targetValue": "目标值",
    "targets": "目标", "technology": "技术", "technologyLabel": "技术名称", "term": "术语", "text": "文字",
    "tier": "层级", "title": "标题", "toCluster": "新集群", "toClusters": "新集群", "toLabel": "新名称",
    "toLabels": "新名称", "toObservation": "终止观测值", "toSector": "新板块", "toTier": "新层级",
    "toValue": "终止值", "type": "类型", "unit": "单位", "upperBound": "上限", "value": "数值",
    "version": "版本", "why": "原因", "years": "年数",
}  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def column_heading(name: str, lang: str) -> str:
    """A result column's name in words: ``measureLabel`` -> "Measure label" (指标名称 in Chinese, where known)."""
    if lang == "zh" and name in COLUMNS_ZH:
        return COLUMNS_ZH[name]
    words = _CAMEL.sub(" ", name).replace("_", " ").lower()
    return words[:1].upper() + words[1:]


def summary(name: str, english: str, lang: str) -> str:
    """A named query's summary in ``lang`` (English where no Chinese is known)."""
    return SUMMARIES_ZH.get(name, english) if lang == "zh" else english


def param_doc(english: str, lang: str) -> str:
    """A parameter's help in ``lang`` (English where no Chinese is known)."""
    return PARAM_DOCS_ZH.get(english, english) if lang == "zh" else english


def number_text(value: str, lang: str) -> str:
    """A number of a result table as a reader of ``lang`` writes it: digits grouped from 10,000 up (years and
    small counts as they are); in Chinese, 亿 and 万亿 from 100 million up.

    >>> number_text("1500000000000", "en"), number_text("1500000000000", "zh"), number_text("2023", "en")
    ('1,500,000,000,000', '1.5万亿', '2023')
    >>> number_text("5.0E10", "zh"), number_text("41.25", "en"), number_text("12345", "zh")
    ('500亿', '41.25', '12,345')
    """
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite() or abs(number) < 10_000:
        return value
    if lang == "zh" and abs(number) >= Decimal(10) ** 8:
        power, word = (12, "万亿") if abs(number) >= Decimal(10) ** 12 else (8, "亿")
        return format_value(number / Decimal(10) ** power, None, "zh") + word
    return format_value(number, None, lang)


def localized(query: dict[str, Any], lang: str) -> dict[str, Any]:
    """A named query's listing (:func:`kgtool.web.data.queries`) with its summary, parameter help and column
    names in ``lang``; ``*_lang`` says where a text stays English on a Chinese page."""
    if lang != "zh":
        return query
    params = [
        {**p, "doc": param_doc(p["doc"], lang), "doc_lang": "" if p["doc"] in PARAM_DOCS_ZH else "en"}
        for p in query["params"]
    ]
    columns = [{**c, "heading": column_heading(c["name"], lang)} for c in query["columns"]]
    return {
        **query,
        "summary": summary(query["name"], query["summary"], lang),
        "summary_lang": "" if query["name"] in SUMMARIES_ZH else "en",
        "description": DESCRIPTIONS_ZH.get(query["name"], query["description"]),
        "description_lang": "" if query["name"] in DESCRIPTIONS_ZH else "en",
        "params": params,
        "columns": columns,
    }
