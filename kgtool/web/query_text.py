"""The named queries in the reader's language: the Chinese of their summaries, descriptions, parameter help
and column names (the ``#+`` headers of ``queries/*.rq`` are in English; this is the one table
of their Chinese, UI text translated by hand), column names in words, and the cells of a result table
formatted for the language.

A text with no entry here stays English (``lang="en"`` on the page); tests/test_web.py checks that every
summary, description, parameter help and column of the named queries has one.
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

#: The longer description of each named query, in Chinese.
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
    "above-threshold": (
        "某一公历年份中，该指标的标准化数值高于阈值的观测值（仅限全年的时期，不含季度或多年），从大到小排列。"
        "数据为“超过 v”且 v 等于阈值时，也算高于阈值。阈值以该指标的标准化单位给出：元（1e11 即 1000 亿，"
        "亿即 1e8）、百分比、个数。"
    ),
    "achievement-claims": (
        "来源声称取得的成就，例如“十四五”期间关键核心技术的突破，或全球首家机器人 6S 店：每条声明、"
        "它涉及的每项技术以及该技术相关的每个集群各占一行（未提及技术的声明占一行；与任何集群都无关的技术没有集群"
        "）。声明的确定程度指其来源确有此说法，而非成就属实；技术与集群的关联是根据技术名称推断的（"
        "见 linkCertainty 列，推断理由在该关联的注释中）。指定 cluster 时，只列出涉及该集群的声明。"
    ),
    "announcement": (
        "该版本设定的每个目标一行（未设定目标时为一行）：谁宣布了该版本、在哪一天和什么场合、"
        "在哪份文件中（例如2026年政府工作报告）宣布，其状态和计划年份，然后是目标（指标、对象、时期、数值、"
        "限定词以及来源的原文表述）。3.0版仅从其宣布得知；对于从其文件得知的版本，宣布相关的列为空。"
        "同一次宣布中提出的重点方向见查询 priorities。"
    ),
    "announcement-by-cluster": (
        "该版本的每个集群，与修订该版本的下一版本的发布中关于该集群的每项内容，各占一行：该发布中涉及该集群的重点"
        "方向（mention 为 priority）或仅名称相关的重点方向（related），发布文件中为此类重点方向计划的每项措施，"
        "以及涉及该集群本身的计划措施（plan）。发布中未提及的集群占一行，mention 为 none。"
        "每行给出发布的原话（quote）以及与该集群的关联有多确定：根据英文名称建立的关联从不是“已确认”（重点方向或"
        "该关联的注释说明原因；可用查询 sources-of 查看该关联的来源）。指定2.0版时，列出3.0版的发布（2026年政府工"
        "作报告）为每个2.0版集群计划的内容。"
    ),
    "citations": (
        "一条陈述（指定时仅限该陈述）的每条引用一行：来源、从中引用的原话及其语言、原话在来源中的位置（若有记录）"
        "以及来源的网址。与 sources-of 是同一内容的另一种切分：一次列出所有陈述，或恰好一条陈述而不含其成员关系；"
        "页面上每项事实的来源即由此列出。"
    ),
    "conflicts": (
        "与另一观测值的指标、对象、参考时期和产业口径都相同，而真值区间与之不重叠的观测值；"
        "每个观测值及其依据的每个来源各占一行，以便追溯每个数值。区间由该数据的限定词在其印刷精度下确定（"
        "sz:lowerBound、sz:upperBound）：精确，为其末位数字的半个单位上下；约，为其末位非零数字的一个单位上下；"
        "近，为至多低于该数一个这样的单位；超过（不含该数）和至少，为该数及以上；不超过，为该数及以下。因此，"
        "3.68万亿与36,801.87亿、“超过40%”与41.1%相互一致，不会列出；而2020年GDP的2.76、2.78和2.83万亿则相互冲突。"
        "不同时期的数据（全年的与截至某日报告的）从不相互比较。"
    ),
    "corrections": (
        "图谱中记录的每项更正，最新的在前：它涉及的节点和属性、图谱更正前和更正后的表述（未更正的则为所提议的内容"
        "）、原因、日期、最早包含它的数据集发布版本，以及它依据的每个来源及在该来源中读到的原话，每个来源一行。"
        "引用过较早发布版本的用户可在此查到此后的变化。"
    ),
    "event-clusters": (
        "每个调整事件（指定版本时仅限该版本的）与它取走的一个集群、给出的一个集群、与之相竞争的一个事件的每种组合"
        "各占一行（因此三个集群的合并占三行）：其版本、类型（其类的 sz:slug，同 event-types）和确定程度。"
        "演变图据此为每个事件画一条连线；events 和 version-diff 给出相同的事件，附名称和层级。"
    ),
    "event-types": (
        "每个事件类型（本体中 sz:ReclassificationEvent 的子类）一行，按本体中的列表顺序：数据文件和查询结果用来指"
        "称它的词（其 sz:slug，即 events、lineage 和 version-diff 的 change 列），它在所选语言中作为变化的名称（"
        "sz:changeLabel），以及页面和图表绘制它所用的颜色（sz:displayColour）。"
    ),
    "events": (
        "该版本对其所修订版本的名单所做的每个调整事件一行，按类型分组（本体定义的事件类型，按其列表顺序："
        "查询 event-types 列出这些类型），附其取走和给出的集群（名称和数量）、确定程度、是否有来源给出相竞争的说"
        "法，以及它依据多少个来源。事件标签只有英文；lang 为 zh 时给出英文标签（集群名称使用所选语言）。"
    ),
    "figures": (
        "每个观测值或目标（指定对象时仅限该对象的）一行：其指标、对象和时期，标准化数值、单位和限定词，"
        "来源原文表述的数据，确定程度，以及目标由哪个版本设定。metric-series 以时间序列给出一个指标的观测值；"
        "本查询给出所有数据，与页面列出的一致。"
    ),
    "growth": (
        "对某一指标和对象，两个公历年份中可以比较的每对观测值：单位相同、限定词相同（精确或约："
        "“超过1.3万亿”这样的界限不给出增长）、产业口径相同，且都是全年的数据（不是年内的一部分，"
        "也不是截至某日报告的）。每对一行，并注明所用的两个观测值，因此在来源不一致时（2020年GDP）"
        "每种说法都会列出。年均复合增长率为 (to / from)^(1 / years) - 1（to 为终止值，from 为起始值，"
        "years 为年数），在查询中用牛顿法计算，适用于相隔不超过10年且为正值的情形。对于以百分比计的指标，"
        "变化量以百分点计。不同口径（2019年采用2022年之前的七大战略性新兴产业）或不同限定词（超过1.5对恰好1.67）"
        "的数据不作比较。"
    ),
    "labels": (
        "图谱中每个 IRI（指定时仅限该 IRI）的每个名称一行：其 skos:prefLabel、rdfs:label、dcterms:title、"
        "foaf:name 或 schema:name，按此优先顺序排名（1至5），以及其 skos:altLabel（排名6，别名），"
        "并附各名称所用的语言（无语言时为空）。页面用此结果为其链接的每个节点命名。"
    ),
    "lineage": (
        "沿两个方向传递地追踪调整事件。追溯来源：产生该集群的事件（sz:toCluster），以及通过这些事件"
        "的 sz:fromCluster 找到产生那些集群的事件，依此类推。追踪去向：以该集群为输入的事件（sz:fromCluster），"
        "以及通过这些事件的 sz:toCluster 继续向后。每远一步，必须是在比它所通向的那一步更早（追溯来源时）"
        "或更晚（追踪去向时）的版本中做出的，这样同一版本中对其前身所做的其他变化就不会被当作该集群自身的历史（对"
        "最多四步的链逐步检查）。每一步之前和之后的每个集群各占一行。仅从其宣布得知的版本（3.0）"
        "尚未做出任何事件：若其发布中的某个重点方向与该集群（或它后来成为的集群）相关联，该关联也算追踪去向的一步"
        "（change 为 priority，仅名称相关时为 related；toCluster 为该重点方向，certainty 为该关联的确定程度，"
        "根据英文名称建立的关联从不是“已确认”）。在各版本中都未变化、也未被任何发布提及的集群没有结果行。"
    ),
    "links-to": (
        "以所查询的 IRI 为取值的每个 IRI 和属性一行（最多500行），不包括文件的带 # 的 IRI（即引用："
        "陈述通过它们引用来源）和 prov:wasDerivedFrom（某来源的陈述见 statements-from-source）。"
        "页面据此列出指向某资源的内容。"
    ),
    "measures": (
        "每个指标一行：在其他查询（metric-series、above-threshold、conflicts、targets-vs-actuals）中使用的短名、"
        "名称、单位和定义，以及有多少数据使用它。"
    ),
    "memberships": (
        "每个成员关系（某集群在某版本名单中的成员关系，即承载其序号、板块和来源的节点）一行；"
        "指定集群或版本时仅限该集群或版本的。其序号、层级和板块见 clusters；其来源见 citations 和 sources-of。"
    ),
    "metric-series": (
        "该对象该指标的每个观测值一行，按时间顺序（先按时期的开始，再按结束）。数值经过标准化（元、百分比、个数）"
        "；来源的原文表述在 reportedText 列。来源不一致时，每个数值各占一行（见查询 conflicts）。"
        "按另一种产业口径编制的数值（2019年的数据采用2022年之前的七大战略性新兴产业）在 definition 列注明该口径："
        "它与序列中其余数值不可比。"
    ),
    "ontology-axioms": (
        "sz: 词汇中涉及两个 IRI 的每条公理一行：类及其父类（subClassOf），属性及其适用的类（domain）"
        "或取值所属的类（range），个体及其类（type）。本体页面据此绘制类层级和关系图。"
    ),
    "ontology-terms": (
        "sz: 词汇中的每个术语及其类别（Class、ObjectProperty、DatatypeProperty、AnnotationProperty、"
        "NamedIndividual）一行，附其英文定义。其名称见 labels，相互关系见 ontology-axioms；"
        "本体页面由这三个查询构成。"
    ),
    "properties": (
        "主语为该 IRI 的每个三元组一行：属性及取值，取值为 IRI（object）或字面量（其文字、语言和数据类型）；"
        "空白节点作为 blank 类取值，没有名称。页面据此列出资源的属性；指向该资源的内容见 links-to。"
    ),
    "single-source-statements": (
        "恰好引用一个来源的每项事实（版本、文件、板块、成员关系、调整事件、观测值、目标、重点方向，"
        "或关于单个三元组的限定陈述），附该来源、其类别和从中引用的原话。指定来源时，只列出仅依据该来源的陈述："
        "若该来源有误，图谱将失去的内容。两次引用同一来源的事实只依据一个来源；显示其第一条引文（按文本顺序）。"
    ),
    "sources-of": (
        "该陈述的每条引用一行：来源、其类别和网址，以及该陈述所依据的引文。陈述可以是图谱中的任何事实（版本、"
        "文件、板块、成员关系、调整事件、观测值、目标或重点方向）；对于集群，给出其在各版本中成员关系的来源。"
    ),
    "statements-from-source": (
        "该来源的每条引用一行：陈述（版本、文件、板块、成员关系、调整事件、观测值、目标、重点方向，"
        "或关于单个三元组的限定陈述）、它涉及的内容、其确定程度和引文。可用它查看若该来源有误，将失去哪些内容。"
    ),
    "targets-vs-actuals": (
        "某版本的每个目标，与同一指标、对象和时期的观测值相连（每个实际值一行；尚无实际值的目标占一行，met 为空）"
        "。“超过” t 的目标由高于 t 的数值达成；“不超过” t 的目标由不高于 t 的数值达成；其他目标（精确、至少、近、"
        "约）由等于或高于 t 的数值达成。本身为界限的实际值（“超过1.5万亿”）只在界限足以判断时起决定作用："
        "超过 v 在 v ≥ t 时达成“超过 t”，在 v < t 时 met 为空。difference 为实际值 − 目标值（以该指标的单位计），"
        "ratio 为实际值 ÷ 目标值，四舍五入到小数点后4位。"
    ),
    "taxonomy-as-of": (
        "某日期现行的版本，是在该日期或之前发布、且不只是已宣布的最新版本：即截至该日已发布、"
        "且尚未被修订它的版本（sz:revises，直接或间接）取代的版本。发布日期精确到日（xsd:date），"
        "或只精确到月（xsd:gYearMonth）或年（xsd:gYear）；若某版本的发布日期按其自身精度不晚于该日期，"
        "即视为在该日期已发布（2.0版于2024-03发布，在2024-03-01已现行）。该版本的每个集群一行，"
        "与查询 clusters 相同，并附该版本的状态和发布日期。第一个版本之前的日期没有结果行。"
    ),
    "uncertain-facts": (
        "确定程度为次要来源（仅见于第三方文件或低质量转载）或不确定（没有来源，或来源相互冲突）的事实，"
        "最可疑的在前。除整条陈述（aspect 为 statement）外，成员关系所属的板块（aspect 为 sector）、"
        "版本的发布日期（aspect 为 issued），以及任何比其节点更不确定的单个陈述（aspect 为 property：限定陈述，"
        "例如仅有第三方文件给出的文号）各有自己的确定程度，也一并列出。"
    ),
    "version-diff": (
        "旧版本之后、直到并包括新版本的每个版本的调整事件（沿 sz:revises），每个事件之前和之后的每个集群各占一行"
        "：三个集群合并为一个占三行。新增没有之前的集群，移除没有之后的集群。若来源对同一变化给出不同说法，"
        "每种说法都是一个事件，且都标为有争议（contested）。每个集群附其层级。仅从其宣布得知的版本（3.0）"
        "尚未做出任何事件：其结果行是发布中的重点方向，每个附上它涉及（change 为 priority）或名称相关（related）"
        "的较早版本的集群（或板块），以及不涉及任何集群的重点方向（没有之前的集群）；该关联是根据英文名称推断的，"
        "因此其确定程度从不是“已确认”。新版本不在旧版本之后时没有结果行。"
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
