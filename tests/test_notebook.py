"""The graph and its answers in a notebook: what repr() says, the HTML table Jupyter shows, and the
questions that refuse arguments given the wrong way round."""

from __future__ import annotations

from pathlib import Path

import pytest

import kgtool
from kgtool.graph import KnowledgeGraph
from kgtool.results import HTML_ROWS


def test_repr_of_the_graph_says_which_store_and_where(kg: KnowledgeGraph, built_home: Path) -> None:
    assert repr(kg) == f"<KnowledgeGraph in the oxigraph store at {built_home / 'store'}>"


def test_repr_of_a_remote_graph_never_shows_the_password() -> None:
    with kgtool.open("sparql", options={"endpoint": "http://kg:secret@127.0.0.1:9/sparql?x=1"}) as remote:
        assert repr(remote) == "<KnowledgeGraph in the sparql store at http://127.0.0.1:9/sparql>"


def test_repr_of_an_answer_says_what_it_is(kg: KnowledgeGraph) -> None:
    # 2.0 has 20 strategic clusters and 8 future industries (README); counts has one row per version and tier
    assert repr(kg.query("clusters", version="2.0")) == (
        "<QueryResult: 28 rows of version, tier, position, cluster, label, sector, sectorLabel, sectorCertainty, "
        "certainty>"
    )
    assert repr(kg.sparql("SELECT ?x WHERE { VALUES ?x { 1 } }")) == "<QueryResult: 1 row of x>"
    assert repr(kg.sparql("ASK { ?s ?p ?o }")) == "<QueryResult: ASK true>"
    two = "CONSTRUCT { <urn:a> <urn:p> 1, 2 } WHERE {}"
    assert repr(kg.sparql(two)) == "<QueryResult: a graph of 2 triples>"


def test_an_answer_is_an_escaped_html_table_in_a_notebook(kg: KnowledgeGraph) -> None:
    result = kg.sparql(
        'SELECT ?text ?n ?iri WHERE { VALUES (?text ?n ?iri) { ("<b>R&D</b>" 3 <https://w3id.org/sz20plus8/cluster/robotics>) } }'
    )
    assert result._repr_html_() == (
        "<p>1 row</p>\n"
        '<table class="results">\n'
        '<thead><tr><th scope="col">text</th><th scope="col">n</th><th scope="col">iri</th></tr></thead>\n'
        "<tbody>\n"
        "<tr><td>&lt;b&gt;R&amp;D&lt;/b&gt;</td>"
        '<td class="num" style="text-align: right">3</td>'
        '<td><span title="https://w3id.org/sz20plus8/cluster/robotics">cluster:robotics</span></td></tr>\n'
        "</tbody></table>"
    )
    assert kg.sparql("ASK { ?s ?p ?o }")._repr_html_() == '<p class="boolean"><strong>true</strong></p>'


def test_a_long_answer_shows_its_first_rows_and_says_so(kg: KnowledgeGraph) -> None:
    numbers = " ".join(str(n) for n in range(HTML_ROWS + 5))
    html = kg.sparql(f"SELECT ?n WHERE {{ VALUES ?n {{ {numbers} }} }}")._repr_html_()
    assert html.startswith(f"<p>{HTML_ROWS + 5} rows (the first {HTML_ROWS} shown:")
    assert html.count("<tr>") == HTML_ROWS + 1  # the header and the rows shown
    assert f">{HTML_ROWS - 1}</td>" in html and f">{HTML_ROWS}</td>" not in html


def test_diff_of_versions_the_wrong_way_round_says_so(kg: KnowledgeGraph) -> None:
    with pytest.raises(kgtool.UsageError, match=r"version 2\.0 comes after 1\.0.*diff\('1\.0', '2\.0'\)"):
        kg.diff("2.0", "1.0")
    with pytest.raises(kgtool.UsageError, match=r"version 2\.0 comes after 1\.0"):
        kg.diff("2", "1.0")  # a version given as a whole number is the same version
    assert len(kg.diff("1.0", "2.0")) > 0
    assert len(kg.diff("2.0", "2.0")) == 0  # nothing changes from a version to itself
    with pytest.raises(kgtool.ParameterError, match="unknown version"):
        kg.diff("9.0", "1.0")  # an unknown version is named first, whatever the order


def test_the_command_line_still_answers_a_reversed_diff_with_no_rows(
    capsys: pytest.CaptureFixture[str], built_home: Path
) -> None:
    from kgtool.cli import main

    assert main(["diff", "2.0", "1.0", "--home", str(built_home), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert (
        out
        == "version,change,fromCluster,fromLabel,fromTier,toCluster,toLabel,toTier,fromSector,toSector,certainty,contested,event\n"
    )
    assert err == "kgtool: no changes recorded from 2.0 to 1.0 (the new version must come after the old one)\n"
