"""SPARQL requests for the differential tests of kgtool's parser (tests/test_sparql_syntax.py).

A corpus of real and hand-written requests, and a Hypothesis strategy that writes requests from the
grammar's productions (with separators that are sometimes absent, comments and mixed case), then
perhaps breaks them (a token dropped, repeated or moved), so that both accepted and refused texts are
compared with rdflib's parser and pyoxigraph's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
#: The shared reference material beside the clone (``$KG_SHARED`` elsewhere, such as beside a worktree).
SHARED = Path(os.environ.get("KG_SHARED") or ROOT.parent / "shared")
W3C_PROTOCOL = SHARED / "w3c" / "sparql11-protocol" / "manifest.ttl"

PROLOGUE = "PREFIX ex: <http://example.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


def named_query_texts() -> dict[str, str]:
    """Every named query (as written, and with its parameters bound from their examples) and every rule."""
    from bench.guard import named_texts
    from kgtool.queries import load_queries

    texts = {f"queries/{name}.rq": query.text for name, query in load_queries(ROOT / "queries").items()}
    texts.update({f"queries/{name}.rq bound": text for name, text in named_texts().items()})
    for path in sorted((ROOT / "ontology" / "rules").glob("*.rq")):
        texts[f"ontology/rules/{path.name}"] = path.read_text(encoding="utf-8")
    return texts


def w3c_protocol_texts() -> dict[str, str]:
    """The queries and updates of the W3C SPARQL 1.1 Protocol tests (in their URLs and bodies)."""
    if not W3C_PROTOCOL.is_file():
        return {}
    manifest = W3C_PROTOCOL.read_text(encoding="utf-8")
    texts = {}
    for n, path in enumerate(re.findall(r'absolutePath\s+"([^"]*)"', manifest)):
        for key, values in parse_qs(urlsplit(path).query).items():
            if key in ("query", "update"):
                texts.update({f"w3c path {n} {key}": v for v in values})
    for n, body in enumerate(re.findall(r'cnt:chars\s+"""(.*?)"""', manifest, re.S)):
        form = parse_qs(body) if re.match(r"(query|update)=", body) else {}
        if form:
            texts.update({f"w3c body {n} {k}": v[0] for k, v in form.items() if k in ("query", "update")})
        else:
            texts[f"w3c body {n}"] = body
    return texts


# -- requests written from the grammar -------------------------------------------------------------------

_VARS = ["?s", "?o", "?x", "$y", "?é1"]
_IRIS = ["<http://example.org/p>", "ex:p", "ex:", "ex:a.b", "ex:a-b", "ex:%20", "<a:b>", "xsd:integer"]
_LITERALS = [
    '"a"',
    "'b'@en",
    '"1"^^xsd:integer',
    '"x"^^<http://example.org/t>',
    '"""long\n"quote"\'"""',
    "'''l'''",
    '"\\t\\"esc"',
    "1",
    "-2.5",
    "+3",
    "1e3",
    ".5",
    "true",
    "false",
    '"<"',
    "'{'",
    '"#"',
]
_BNODES = ["_:b", "[]", "()"]
_BINARY = ["+", "-", "*", "/", "=", "!=", "<", ">", "<=", ">=", "&&", "||"]
_CALLS = ["STR", "LANG", "UCASE", "isIRI", "BOUND", "STRLEN", "ABS", "YEAR", "MD5", "isNumeric"]
_CALLS2 = ["CONTAINS", "STRSTARTS", "LANGMATCHES", "STRDT", "sameTerm"]


def _tokens(draw: st.DrawFn, items: list[str]) -> str:
    return draw(st.sampled_from(items))


def _expression(draw: st.DrawFn, depth: int) -> str:
    if depth <= 0:
        return _tokens(draw, _VARS + _LITERALS[:6] + ["1", "?s"])
    kind = draw(st.integers(0, 9))
    sub = lambda: _expression(draw, depth - 1)  # noqa: E731
    if kind == 0:
        return f"{sub()} {draw(st.sampled_from(_BINARY))} {sub()}"
    if kind == 1:
        return f"{draw(st.sampled_from(['!', '-', '+']))}{sub()}"
    if kind == 2:
        return f"({sub()})"
    if kind == 3:
        name = draw(st.sampled_from(_CALLS))
        return f"{name}({draw(st.sampled_from(_VARS)) if name == 'BOUND' else sub()})"
    if kind == 4:
        return f"{draw(st.sampled_from(_CALLS2))}({sub()}, {sub()})"
    if kind == 5:
        items = ", ".join(sub() for _ in range(draw(st.integers(0, 2))))
        return f"{sub()} {draw(st.sampled_from(['IN', 'NOT IN']))} ({items})"
    if kind == 6:
        return f"{draw(st.sampled_from(['EXISTS', 'NOT EXISTS']))} {{ {_triples(draw, depth - 1)} }}"
    if kind == 7:
        pattern = draw(st.sampled_from(['"^a+$"', '"(a|b)"', '"^(a+)+$"', "?x"]))
        flags = draw(st.sampled_from(["", ', "i"']))
        return f"REGEX({sub()}, {pattern}{flags})"
    if kind == 8:
        items = ", ".join(sub() for _ in range(draw(st.integers(0, 2))))
        return f"<http://example.org/f>({items})"
    return f"IF({sub()}, {sub()}, {sub()})"


def _path(draw: st.DrawFn, depth: int) -> str:
    iri = draw(st.sampled_from(_IRIS[:4] + ["a"]))
    if depth <= 0:
        return iri
    kind = draw(st.integers(0, 6))
    sub = lambda: _path(draw, depth - 1)  # noqa: E731
    if kind == 0:
        return f"{sub()}/{sub()}"
    if kind == 1:
        return f"{sub()}|{sub()}"
    if kind == 2:
        return f"^{sub()}"
    if kind == 3:
        return f"({sub()}){draw(st.sampled_from(['*', '+', '?', '']))}"
    if kind == 4:
        return f"!{draw(st.sampled_from(['ex:p', '(ex:p|^a)', '()', '^ex:q']))}"
    return iri


def _node(draw: st.DrawFn, depth: int) -> str:
    kind = draw(st.integers(0, 5 if depth > 0 else 3))
    if kind <= 1:
        return draw(st.sampled_from(_VARS))
    if kind == 2:
        return draw(st.sampled_from(_IRIS + _BNODES))
    if kind == 3:
        return draw(st.sampled_from(_LITERALS))
    if kind == 4:
        return f"[ {_path(draw, 1)} {_node(draw, depth - 1)} ]"
    return f"( {_node(draw, depth - 1)} {_node(draw, depth - 1)} )"


def _triples(draw: st.DrawFn, depth: int) -> str:
    subject = draw(st.sampled_from(_VARS + _IRIS[:3] + ["_:b", "[]"]))
    verb = draw(st.sampled_from(_VARS[:2])) if draw(st.booleans()) else _path(draw, 2)
    text = f"{subject} {verb} {_node(draw, depth)}"
    if draw(st.booleans()):
        text += f" ; {_path(draw, 1)} {_node(draw, 0)} , {_node(draw, 0)}"
    return text


def _group(draw: st.DrawFn, depth: int) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 11 if depth > 0 else 3))
        if kind <= 1:
            parts.append(_triples(draw, 1) + draw(st.sampled_from([" .", " .", ""])))
        elif kind == 2:
            parts.append(f"FILTER({_expression(draw, 2)})")
        elif kind == 3:
            parts.append(f"BIND({_expression(draw, 1)} AS ?b{draw(st.integers(0, 9))})")
        elif kind == 4:
            parts.append(f"OPTIONAL {{ {_group(draw, depth - 1)} }}")
        elif kind == 5:
            parts.append(f"{{ {_group(draw, depth - 1)} }} UNION {{ {_group(draw, depth - 1)} }}")
        elif kind == 6:
            parts.append(f"MINUS {{ {_group(draw, depth - 1)} }}")
        elif kind == 7:
            parts.append(f"GRAPH {draw(st.sampled_from(['?g', 'ex:g']))} {{ {_group(draw, depth - 1)} }}")
        elif kind == 8:
            parts.append(f"VALUES ?v {{ {draw(st.sampled_from(['1 2', 'UNDEF ex:a', '']))} }}")
        elif kind == 9:
            parts.append(f"{{ SELECT ?s WHERE {{ {_group(draw, depth - 1)} }} LIMIT 2 }}")
        elif kind == 10:
            parts.append(f"SERVICE {draw(st.sampled_from(['', 'SILENT ']))}<http://127.0.0.1:9/> {{ ?s ?p ?o }}")
        else:
            parts.append(f"FILTER NOT EXISTS {{ {_group(draw, depth - 1)} }}")
    return " ".join(parts)


def _query(draw: st.DrawFn) -> str:
    form = draw(st.integers(0, 3))
    where = f"{draw(st.sampled_from(['WHERE ', '']))}{{ {_group(draw, 2)} }}"
    dataset = draw(st.sampled_from(["", "FROM ex:g ", "FROM NAMED <http://example.org/g> "]))
    if form == 0:
        projection = draw(
            st.sampled_from(["*", "?s", "DISTINCT ?s ?o", "(COUNT(*) AS ?n)", "?s (STR(?o) AS ?t)", "REDUCED *"])
        )
        modifiers = draw(
            st.sampled_from(["", " GROUP BY ?s", " ORDER BY DESC(?s) ?o", " LIMIT 3 OFFSET 1", " HAVING (1)"])
        )
        return f"SELECT {projection} {dataset}{where}{modifiers}"
    if form == 1:
        return f"ASK {dataset}{where}"
    if form == 2:
        template = draw(st.sampled_from(["{ ?s ?p ?o }", "{ }", "{ ?s ex:p [ ex:q ?o ] . }"]))
        return f"CONSTRUCT {template} {dataset}{where}"
    return f"DESCRIBE {draw(st.sampled_from(['*', '?s', 'ex:a ?s']))} {dataset}{where}"


def _update(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return "INSERT DATA { ex:a ex:b " + draw(st.sampled_from(_LITERALS + ["ex:c", "?v", "_:b"])) + " }"
    if kind == 1:
        return "DELETE DATA { GRAPH ex:g { ex:a ex:b " + draw(st.sampled_from(["ex:c", "[]", "1"])) + " } }"
    if kind == 2:
        return f"DELETE WHERE {{ {_triples(draw, 0)} }}"
    if kind == 3:
        using = draw(st.sampled_from(["", "USING ex:g ", "USING NAMED ex:g "]))
        with_ = draw(st.sampled_from(["", "WITH ex:g "]))
        return f"{with_}DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} {using}WHERE {{ {_group(draw, 1)} }}"
    if kind == 4:
        silent, into = draw(st.sampled_from(["", "SILENT "])), draw(st.sampled_from(["", " INTO GRAPH ex:g"]))
        return f"LOAD {silent}<http://127.0.0.1:9/d>{into}"
    if kind == 5:
        what = draw(st.sampled_from(["ALL", "DEFAULT", "NAMED", "GRAPH ex:g", "SILENT ALL"]))
        return f"{draw(st.sampled_from(['CLEAR', 'DROP']))} {what}"
    return f"{draw(st.sampled_from(['ADD', 'MOVE', 'COPY']))} DEFAULT TO GRAPH ex:g"


_SPLIT = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|\S+')


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, bool]:
    """A request (text, is an update) written from the grammar, with random spacing and case, perhaps broken."""
    update = draw(st.booleans())
    body = _update(draw) if update else _query(draw)
    if update and draw(st.booleans()):
        body += " ; " + _update(draw)
    tokens = _SPLIT.findall(PROLOGUE + body)
    mutation = draw(st.integers(0, 5))
    if mutation == 0 and len(tokens) > 1:
        del tokens[draw(st.integers(0, len(tokens) - 1))]
    elif mutation == 1:
        i = draw(st.integers(0, len(tokens) - 1))
        tokens.insert(i, tokens[i])
    elif mutation == 2 and len(tokens) > 2:
        i, j = draw(st.integers(0, len(tokens) - 1)), draw(st.integers(0, len(tokens) - 1))
        tokens[i], tokens[j] = tokens[j], tokens[i]
    glue = st.sampled_from([" "] * 12 + ["\n", "\t", "", " # c\n"])  # sometimes none: '?a<?b', 'SELECT*'
    separators = [draw(glue) for _ in tokens]
    text = "".join(t + s for t, s in zip(tokens, separators, strict=True))
    if draw(st.booleans()):
        text = re.sub(r"\b(SELECT|WHERE|FILTER|OPTIONAL|UNION|INSERT|DATA)\b", lambda m: m.group().lower(), text)
    return text, update
