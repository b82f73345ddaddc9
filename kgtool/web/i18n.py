"""The words of the pages in English and Chinese (names of things come from the graph, in both).

>>> text("evolution", "zh"), text("evolution", "en")
('演变', 'Evolution')
"""

from __future__ import annotations

__all__ = ["LANGS", "MESSAGES", "text", "certainty_word", "tier_word", "status_word", "qualifier_word"]

#: The languages of the pages; the first is the default.
LANGS = ("en", "zh")

#: Every message of the pages: key -> (English, Chinese).
MESSAGES: dict[str, tuple[str, str]] = {
    "site": ("Shenzhen “20+8” knowledge graph", "深圳“20+8”产业政策知识图谱"),
    "skip": ("Skip to content", "跳到正文"),
    "home": ("Home", "首页"),
    "evolution": ("Evolution", "演变"),
    "query": ("Query", "查询"),
    "named_queries": ("Named queries", "预设查询"),
    "ontology": ("Ontology", "本体"),
    "dataset": ("Dataset", "数据集"),
    "language": ("Language", "语言"),
    "search": ("Search", "搜索"),
    "search_label": ("Search names in English or Chinese", "按中文或英文名称搜索"),
    "search_placeholder": ("e.g. robotics, 人工智能", "例如：机器人、artificial intelligence"),
    "search_results": ("Search results", "搜索结果"),
    "no_hits": ("Nothing found.", "没有找到。"),
    "intro": (
        "Shenzhen's “20+8” industrial policy as linked data: its versions, their strategic emerging "
        "industry clusters and future industries, how the list changed, the figures and targets, and "
        "for every fact its sources and how certain it is.",
        "以关联数据呈现深圳“20+8”产业政策：各版本的战略性新兴产业集群和未来产业、清单的调整、"
        "相关数据与目标，以及每项事实的来源和确定程度。",
    ),
    "versions": ("The three versions", "三个版本"),
    "version": ("Version", "版本"),
    "sei": ("Strategic emerging industry clusters", "战略性新兴产业集群"),
    "future": ("Future industries", "未来产业"),
    "sei_short": ("clusters", "个集群"),
    "future_short": ("future industries", "个未来产业"),
    "priorities": ("Priorities announced with it", "随之公布的重点"),
    "priorities_short": ("priorities announced", "项公布的重点"),
    "no_list": ("No list of clusters published yet.", "尚未公布集群清单。"),
    "issued": ("Issued", "发布"),
    "announced": ("Announced", "宣布"),
    "status": ("Status", "状态"),
    "documents": ("Documents", "文件"),
    "document": ("Document", "文件"),
    "headline": ("Headline figures", "主要数据"),
    "headline_note": (
        "Each point links to its figure and its sources; the table lists every figure with its sources.",
        "每个数据点链接到该数值及其来源；下表列出每个数据及其来源。",
    ),
    "figures_table": ("The figures", "数据表"),
    "period": ("Period", "时期"),
    "value": ("Value", "数值"),
    "as_reported": ("As reported", "原文表述"),
    "certainty": ("Certainty", "确定程度"),
    "sources": ("Sources", "来源"),
    "source": ("Source", "来源"),
    "quote": ("Quote", "引文"),
    "more": ("Everything else", "其他入口"),
    "downloads": ("Downloads", "下载"),
    "evolution_title": ("How the 20+8 system changed", "“20+8”体系的演变"),
    "evolution_intro": (
        "The clusters of each version in columns, in the official order, strategic emerging "
        "industry clusters above future industries. Every reclassification event is a flow, "
        "coloured by its type; dashed flows are competing claims that the sources do not settle. "
        "Dotted purple lines are ties the announcement of a version makes between a cluster and one of its "
        "priorities: announced, not events. "
        "Hover over or focus a flow (Tab) for the event, its certainty and its sources, or a box for its full "
        "name; follow a flow to the cluster it leads to.",
        "每列为一个版本的集群，按官方顺序排列，战略性新兴产业集群在上，未来产业在下。"
        "每个调整事件是一条连线，颜色表示类型；虚线表示来源之间相互矛盾、尚无定论的说法。"
        "紫色点线表示某版本的发布将某集群与其重点方向相关联：仅为发布内容，并非调整事件。"
        "将鼠标悬停或用 Tab 键聚焦在连线上，可查看事件、确定程度和来源，聚焦方框可查看完整名称；"
        "点击连线可前往对应集群。",
    ),
    "svg_alone": ("The diagram as a standalone SVG", "单独的 SVG 图"),
    "legend": ("Legend", "图例"),
    "unchanged": ("unchanged", "未变"),
    "competing": ("competing claim", "相互矛盾的说法"),
    "competes_with": ("Competes with", "与之矛盾"),
    "events": ("Reclassification events", "调整事件"),
    "changes_from": ("Changes from version %s", "相对于%s版的变化"),
    "tied_to": ("tied to", "关联"),
    "event": ("Event", "事件"),
    "from": ("From", "调整前"),
    "to": ("To", "调整后"),
    "details_hint": ("Hover over or focus a flow to see its event here.", "悬停或聚焦于连线即可在此查看事件。"),
    "new": ("new", "新增"),
    "gone": ("removed", "移除"),
    "list_not_known": ("No list yet: announced priorities", "清单未公布：已公布的重点"),
    "clusters_by_tier": ("Clusters by tier, in the official order", "按层级和官方顺序列出的集群"),
    "position": ("No.", "序号"),
    "name_zh": ("Chinese name", "中文名称"),
    "name_en": ("English name", "英文名称"),
    "sector": ("Sector", "所属领域"),
    "previous_version": ("Previous version", "上一版本"),
    "next_version": ("Next version", "下一版本"),
    "membership": ("Membership across versions", "各版本中的归属"),
    "lineage": ("Lineage", "沿革"),
    "came_from": ("Where it came from", "来源于"),
    "became": ("What it became", "后来成为"),
    "no_lineage": (
        "Unchanged in every version: no reclassification event involves it.",
        "在各版本中均未变化：没有涉及它的调整事件。",
    ),
    "figures": ("Figures", "数据"),
    "targets": ("Targets", "目标"),
    "measure": ("Measure", "指标"),
    # figures, targets and their charts
    "observation": ("Observation", "观测数值"),
    "target": ("Target", "目标"),
    "in_figures": ("In figures", "数字"),
    "subject": ("About", "对象"),
    "measure_definition": ("What it measures", "指标含义"),
    "industry_definition": ("Industry definition", "产业统计口径"),
    "set_by": ("Set by", "提出版本"),
    "same_period": ("Every figure for the period", "该时期的全部数值"),
    "same_period_actuals": ("Figures for the period", "该时期的数值"),
    "conflicts": ("cannot both be true with another figure", "与其他数值不能同时成立"),
    "this_figure": ("this figure", "本数值"),
    "the_series": ("The series", "数据序列"),
    "not_in_chart": (
        "This figure's period is not a calendar year, so the chart of yearly figures does not show it.",
        "本数值的时期不是完整的年度，因此年度数据图中未显示。",
    ),
    "was_it_met": ("Was the target met?", "目标是否达成？"),
    "met": ("met", "已达成"),
    "missed": ("not met", "未达成"),
    "unknown": ("not yet known", "尚不可知"),
    "no_actual": ("The graph has no figure for this period yet.", "知识图谱中尚无该时期的数值。"),
    "undecided": ("The actual figure does not decide it.", "实际数值不足以判断。"),
    "actual": ("Actual", "实际"),
    "ratio_before": ("", "为目标的"),
    "ratio_after": ("of the target", ""),
    "difference": ("Difference", "差额"),
    "targets_vs_actuals": ("Targets against actuals", "目标与实际"),
    "targets_note": (
        "Each bar is an actual figure as a share of its target; the line is the target (100%).",
        "每个条形为实际数值占目标的比例；竖线为目标（100%）。",
    ),
    "targets_unknown": ("Targets not yet known to be met or missed", "尚不可知是否达成的目标"),
    "by_sector": ("By sector and cluster", "按领域和集群"),
    "legend_exact": ("figure as reported", "报告的数值"),
    "legend_bound": ("over, about, at least… (hollow)", "超过、约、至少等（空心）"),
    "legend_low-quality": ("secondary or uncertain figure", "次要来源或不确定的数值"),
    "legend_target": ("target, with the version that set it", "目标（标注提出的版本）"),
    "legend_definition": ("older industry definition: not joined to the line", "旧统计口径：不与折线相连"),
    "legend_this": ("this figure", "本数值"),
    "legend_met": ("met", "已达成"),
    "legend_missed": ("not met", "未达成"),
    "legend_unknown": ("not yet known", "尚不可知"),
    "legend_met-secondary": ("met, by a secondary or uncertain figure", "已达成（依据次要来源或不确定的数值）"),
    "older_definition": ("older definition", "旧口径"),
    "fact_sheet_only": (
        "This claim rests on the project's own fact sheet alone: no outside source is quoted for it.",
        "此说法仅以本项目的资料汇编为依据，没有引用外部来源。",
    ),
    "no_source": ("No source recorded.", "未记录来源。"),
    "one_source": ("source", "个来源"),
    "n_sources": ("sources", "个来源"),
    "fact_sheet_alone": ("the project's own fact sheet alone", "仅有本项目的资料汇编"),
    "statement": ("Statement", "陈述"),
    "cited_for": ("What this source is cited for", "引用此来源的陈述"),
    "no_zh_title": (
        "No Chinese title of this source was read: its title is in English only.",
        "未读到此来源的中文原标题：以上标题为英文（中文来源的英文标题是本项目对它的描述，并非其原标题）。",
    ),
    "properties": ("Properties", "属性"),
    "types": ("Kind", "类型"),
    "incoming": ("Linked from", "被以下引用"),
    "other_formats": ("This description as", "此描述的其他格式"),
    "not_found": ("Not found", "未找到"),
    "not_found_text": ("Nothing is known about this address.", "没有关于此地址的信息。"),
    "also_known_as": ("Also known as", "又称"),
    "query_title": ("Query the graph with SPARQL", "用 SPARQL 查询知识图谱"),
    "query_intro": (
        "Write a SPARQL 1.1 query; the project's prefixes are declared below and the examples "
        "load into the editor. Results show as a table and can be downloaded.",
        "编写 SPARQL 1.1 查询；下方列出项目的前缀，示例可载入编辑器。结果以表格显示，也可下载。",
    ),
    "editor_missing": (
        "The SPARQL editor (YASGUI) is not installed on this server, so this is a plain form: it is fetched "
        "from the npm registry when the package is installed, and that was not possible (offline?). "
        "To get it, run python -m kgtool.web.assets on a machine with internet access, then restart kgtool serve.",
        "此服务器未安装 SPARQL 编辑器（YASGUI），因此显示为普通表单：编辑器在安装本软件包时从 npm 仓库下载，"
        "而当时未能下载（可能处于离线状态）。请在可访问互联网时运行 python -m kgtool.web.assets，"
        "然后重启 kgtool serve。",
    ),
    "sparql_query": ("SPARQL query", "SPARQL 查询"),
    "run": ("Run", "运行"),
    "results": ("Results", "结果"),
    "rows": ("rows", "行"),
    "row": ("row", "行"),
    "scroll_hint": (
        "The diagram is wider than the screen: scroll it sideways for versions 2.0 and 3.0 →",
        "图表宽于屏幕：左右滑动可查看2.0版和3.0版 →",
    ),
    "diagram_scroll_hint": (
        "The diagram is wider than the screen: scroll it sideways →",
        "图表宽于屏幕：左右滑动查看 →",
    ),
    # the machine endpoints as a page (/store without a graph, /download)
    "endpoints_title": ("Data for programs", "供程序使用的数据"),
    "endpoints_intro": (
        "Where programs get the graph: whole exports, the Graph Store Protocol, the SPARQL endpoint and the "
        "named queries' API. Each link answers with data, not a page.",
        "程序获取图谱的途径：完整导出、图存储协议、SPARQL 端点和预设查询 API。每个链接返回的是数据，而非网页。",
    ),
    "endpoints_store": ("Graph Store Protocol (/store)", "图存储协议（/store）"),
    "endpoints_store_intro": (
        "GET /store with ?default (every graph) or ?graph=IRI (one named graph); Turtle by default.",
        "GET /store 加 ?default（所有图）或 ?graph=IRI（一个命名图）；默认返回 Turtle。",
    ),
    "endpoints_union": ("the union of every graph", "所有图的并集"),
    "endpoints_other": ("Other endpoints", "其他端点"),
    "endpoints_sparql": (
        "SPARQL 1.1 query endpoint (GET or POST ?query=)",
        "SPARQL 1.1 查询端点（GET 或 POST ?query=）",
    ),
    # what an announced version's announcement says about a cluster (templates/cluster_outlook.html)
    "outlook_h": ("What the %s announcement says about this cluster", "%s版政策发布对该集群的表述"),
    "outlook_nothing": (
        "The graph records nothing the announcement of version %s says about this cluster: no priority and no "
        "planned measure concerns it.",
        "图谱中没有记录%s版政策发布对该集群的任何表述：没有涉及该集群的重点方向或计划举措。",
    ),
    "outlook_not_member": (
        "This cluster is not in version %s, whose clusters the announcement of version %s is compared with.",
        "该集群不在%s版中；%s版政策的发布只与该版的集群对照。",
    ),
    "outlook_note": (
        "Announced, not a list yet: what the announcement ties to this cluster, each tie with how certain it "
        "is. These are not reclassification events.",
        "仅为发布内容，名单尚未公布：以下是发布内容与该集群的关联，各附确定程度，并非调整事件。",
    ),
    "mention_priority": ("A priority of the announcement", "发布中的重点方向"),
    "mention_related": ("A priority with a related name", "名称相关的重点方向"),
    "mention_plan": ("A planned measure", "计划举措"),
    "planned_measures": ("Planned measures", "计划举措"),
    "tie": ("tie to this cluster", "与该集群的关联"),
    "claims_h": ("Claims of achievement in the sources", "来源中的成就声明"),
    "claims_note": (
        "A claim's certainty is that its source states it, not that the achievement is real; its tie to this "
        "cluster is inferred from the name of a technology.",
        "声明的确定程度指来源确有此说法，而非成就属实；它与该集群的关联是根据技术名称推断的。",
    ),
    "technologies": ("Technologies", "技术"),
    "announced_link": ("announced tie (not an event)", "已宣布的关联（非调整事件）"),
    "announced_links_h": ("Ties announced with version %s", "%s版发布中的关联"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "no_rows": ("No rows.", "没有结果。"),
    "download_as": ("Download as", "下载为"),
    "examples": ("Examples", "示例"),
    "prefixes": ("Prefixes", "前缀"),
    "load_example": ("Load into the editor", "载入编辑器"),
    "named_intro": (
        "Each named query is a form: fill in what you want (empty fields are not given, so the "
        "query answers for every value) and run it. The .rq files are in queries/.",
        "每个预设查询都是一个表单：填写需要的参数（空白字段视为未提供，查询将返回所有值）后运行。"
        "查询文件位于 queries/ 目录。",
    ),
    "parameters": ("Parameters", "参数"),
    "required": ("required", "必填"),
    "optional": ("optional", "选填"),
    "default": ("default", "默认"),
    "preselected": ("chosen here", "本表单预选"),
    "any": ("(not given)", "（未提供）"),
    "columns": ("Columns", "列"),
    "query_text": ("The query", "查询语句"),
    "error": ("Error", "错误"),
    "ontology_intro": (
        "The vocabulary of the graph (OWL 2): its classes as a hierarchy, what each class is the "
        "domain or range of, and every property and individual, with Chinese labels.",
        "知识图谱的词汇（OWL 2）：类的层级、每个类作为哪些属性的定义域或值域，以及所有属性和个体，附中文标签。",
    ),
    "class_hierarchy": ("Class hierarchy", "类层级"),
    "diagram": ("Diagram", "关系图"),
    "diagram_note": (
        "Classes of sz: as boxes; an arrow is an object property from its domain to its range.",
        "方框为 sz: 的类；箭头为对象属性，由定义域指向值域。",
    ),
    "classes": ("Classes", "类"),
    "object_properties": ("Object properties", "对象属性"),
    "datatype_properties": ("Datatype properties", "数据属性"),
    "annotation_properties": ("Annotation properties", "注释属性"),
    "individuals": ("Individuals", "个体"),
    "subclass_of": ("Subclass of", "父类"),
    "domain_of": ("Domain of", "作为定义域"),
    "range_of": ("Range of", "作为值域"),
    "domain": ("Domain", "定义域"),
    "range": ("Range", "值域"),
    "members": ("Members", "成员"),
    "rdf_of_ontology": ("The ontology as", "本体的格式"),
    "shapes": ("SHACL shapes", "SHACL 形状"),
    "shapes_intro": (
        "The SHACL shapes the graph is validated against (ontology/shapes.ttl): one node shape per class of the "
        "data model, and a named property shape for each constraint, with the message a violation reports.",
        "用于校验知识图谱的 SHACL 形状（ontology/shapes.ttl）：数据模型的每个类对应一个节点形状，"
        "每项约束是一个有名称的属性形状，并附违反时报告的信息。",
    ),
    "index": ("Index", "索引"),
    "node_shapes": ("Node shapes", "节点形状"),
    "property_shapes": ("Property shapes", "属性形状"),
    "other_terms": ("Other", "其他"),
    "named_graph": ("Named graph", "命名图"),
    "graph_holding": ("A named graph of the store, holding", "存储中的一个命名图，包含"),
    "graph_triples": ("triples.", "个三元组。"),
    "graph_formats": ("Its triples as", "其三元组的格式："),
    "graph_query": ("Query it with GRAPH or default-graph-uri at", "可用 GRAPH 或 default-graph-uri 查询它："),
    "footer": (
        "Data: CC BY 4.0; every fact with its sources. Served by kgtool.",
        "数据采用 CC BY 4.0 许可；每项事实均附来源。由 kgtool 提供服务。",
    ),
    "chart_of": ("Chart of", "图表："),
    "table_as": ("This table as", "下载此表："),
    "kind": ("Kind", "类型"),
}

#: The Chinese names of other vocabularies' terms that pages show (property rows, links), by CURIE: the
#: graph labels them in English only (or not at all), and these are UI words, not data.
VOCABULARY_ZH: dict[str, str] = {
    "rdf:type": "类型",
    "rdfs:label": "标签",
    "rdfs:comment": "说明",
    "rdfs:seeAlso": "另见",
    "rdfs:isDefinedBy": "定义于",
    "skos:prefLabel": "首选名称",
    "skos:altLabel": "别名",
    "skos:definition": "定义",
    "skos:inScheme": "所属分类体系",
    "skos:related": "相关",
    "skos:notation": "编号",
    "dcterms:title": "标题",
    "dcterms:description": "描述",
    "dcterms:date": "日期",
    "dcterms:issued": "发布日期",
    "dcterms:created": "创建日期",
    "dcterms:publisher": "发布者",
    "dcterms:source": "来源",
    "dcterms:subject": "涉及",
    "dcterms:license": "许可",
    "dcterms:language": "语言",
    "dcterms:format": "格式",
    "foaf:page": "网页",
    "prov:wasDerivedFrom": "源自",
    "prov:entity": "实体",
    "schema:startDate": "开始日期",
    "schema:endDate": "结束日期",
    "dcat:keyword": "关键词",
    "qb:dataSet": "数据集",
    "xkos:madeOf": "组成部分",
}


_CERTAINTY = {
    "confirmed": ("confirmed", "已确认"),
    "secondary": ("secondary", "次要来源"),
    "uncertain": ("uncertain", "不确定"),
}
_TIERS = {
    "sei": ("strategic emerging industry cluster", "战略性新兴产业集群"),
    "future": ("future industry", "未来产业"),
}
#: The qualifiers of a figure as words before it ("over 1.5 trillion yuan"); exact has none.
_QUALIFIERS = {
    "exact": ("", ""),
    "over": ("over", "超过"),
    "about": ("about", "约"),
    "nearly": ("nearly", "近"),
    "at-least": ("at least", "至少"),
    "at-most": ("at most", "不超过"),
}
_STATUS = {
    "superseded": ("superseded", "已被取代"),
    "in-force": ("in force", "现行"),
    "announced": ("announced", "已宣布"),
}

#: The kinds of the graph's instances (kgtool.namespaces.KINDS: the first step of their paths) as words;
#: English keeps the kind itself.
KIND_WORDS = {
    "version": ("version", "版本"),
    "document": ("document", "文件"),
    "cluster": ("cluster", "集群"),
    "sector": ("sector", "领域"),
    "membership": ("membership", "归属"),
    "event": ("event", "调整事件"),
    "correspondence": ("correspondence", "对应关系"),
    "measure": ("measure", "指标"),
    "observation": ("observation", "观测值"),
    "target": ("target", "目标"),
    "period": ("period", "时期"),
    "place": ("place", "地点"),
    "agent": ("agent", "机构"),
    "priority": ("priority", "重点方向"),
    "source": ("source", "来源"),
    "statement": ("statement", "陈述"),
    "definition": ("definition", "口径"),
    "plan": ("plan", "计划举措"),
    "claim": ("claim", "成就声明"),
    "technology": ("technology", "技术"),
    "correction": ("correction", "更正"),
}


def _pick(table: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    if key is None:
        return ""
    pair = table.get(key)
    return key if pair is None else pair[1 if lang == "zh" else 0]


def text(key: str, lang: str) -> str:
    """The message ``key`` in ``lang`` (a missing key is a programming error)."""
    return MESSAGES[key][1 if lang == "zh" else 0]


def certainty_word(certainty: str | None, lang: str) -> str:
    return _pick(_CERTAINTY, certainty, lang)


def tier_word(tier: str | None, lang: str) -> str:
    return _pick(_TIERS, tier, lang)


def status_word(status: str | None, lang: str) -> str:
    return _pick(_STATUS, status, lang)


def qualifier_word(qualifier: str | None, lang: str) -> str:
    """The word before a figure for its qualifier: ``over``, ``超过``; none for an exact figure.

    >>> qualifier_word("over", "en"), qualifier_word("over", "zh"), qualifier_word("exact", "en")
    ('over', '超过', '')
    """
    return _pick(_QUALIFIERS, qualifier, lang)


def kind_word(kind: str | None, lang: str) -> str:
    """The kind of an instance (``observation``) as a word of ``lang`` (观测值)."""
    return _pick(KIND_WORDS, kind, lang)
