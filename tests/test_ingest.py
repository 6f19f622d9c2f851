"""The ingest stages one by one, then the pipeline over a store."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from civgraph.graph import open_store
from civgraph.graph.namespaces import CG, SDO
from civgraph.ingest.dates import parse_date
from civgraph.ingest.errors import ReportError
from civgraph.ingest.extract import date_literal, extract
from civgraph.ingest.gazetteer import Gazetteer, authority_graph
from civgraph.ingest.metadata import read_metadata
from civgraph.ingest.pipeline import ingest_paths, remove_reports, sample_paths
from civgraph.ingest.rdf import report_triples
from civgraph.ingest.read import parse_document
from civgraph.ingest.sentences import sentences
from civgraph.ingest.slug import slugify

BASE = "http://example.org/id/"


# -- reading ---------------------------------------------------------------------------

def test_markdown_keeps_words_and_title():
    doc = parse_document(b"# A *Title*\n\nThe [Forum](http://x) met.\n", "a.md", "a.md")
    assert doc.title == "A *Title*".replace("*", "") or doc.title == "A *Title*"
    assert "The Forum met." in doc.text and "http://x" not in doc.text


def test_html_keeps_the_article_only():
    page = b"""<!doctype html><html><head><title>News</title><script>var x=1;</script></head>
    <body><nav><a href="/">Home</a> <a href="/about">About us</a></nav>
    <article><h1>Hit Peace Forum trains volunteers</h1>
    <p>The Hit Peace Forum held a training for thirteen volunteers in Hit on 7 June 2019.
    The training covered social media, rumours, and how to answer hostile comments calmly.</p>
    <p>It was part of a long programme of work with young people in the city of Hit.</p></article>
    <footer>Copyright 2019. Cookie policy.</footer></body></html>"""
    doc = parse_document(page, "page.html", "page.html")
    assert "thirteen volunteers" in doc.text
    assert "Cookie policy" not in doc.text and "var x" not in doc.text and "About us" not in doc.text



def test_html_byline_and_date_in_markup_become_report_metadata():
    """A page's author and <time> sit in markup that the article extractor drops."""
    page = b"""<!doctype html><html><head><title>Youth meeting | ICSSI</title></head><body>
    <nav><a href="/">Home</a></nav><article><h1>Young voices meet in Sulaymaniyah</h1>
    <p class="byline">By <span class="author">Shno Rauf</span> &middot;
    <time datetime="2019-11-14">14 November 2019</time></p>
    <p>Thirty-one young people from nine governorates met in Sulaymaniyah for the national
    youth meeting of the Iraqi Social Forum, hosted by the Sulaymaniyah Social Forum.</p>
    <p>The working groups wrote three statements for the next Iraqi Social Forum.</p>
    </article><footer>&copy; 2019 ICSSI. All rights reserved.</footer></body></html>"""
    doc = parse_document(page, "page.html", "page.html")
    meta = read_metadata(doc.text, doc.title)
    assert (meta.author, meta.date) == ("Shno Rauf", "2019-11-14")


def test_html_copyright_year_is_no_publication_date():
    page = b"""<!doctype html><html><head><title>News</title></head><body><article>
    <h1>Forum volunteers clean the river bank</h1>
    <p>Volunteers of the Hit Peace Forum cleaned the river bank on a Friday morning and
    collected more than two hundred bags of rubbish, with help from local fishermen.</p>
    </article><footer>&copy; 2019 Hit Peace Forum</footer></body></html>"""
    doc = parse_document(page, "page.html", "page.html")
    assert read_metadata(doc.text, doc.title).date is None

@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n\n ", "empty"),
    (b"PK\x03\x04\x00\x00binary", "binary"),
    ("Caf\u00e9 in Hit".encode("latin-1"), "not UTF-8"),
])
def test_bad_input_gets_one_clear_reason(data, reason):
    with pytest.raises(ReportError, match=reason):
        parse_document(data, "bad.txt", "bad.txt")


def test_sentences_have_offsets_and_skip_abbreviations():
    text = "Dr. Huda Kareem led it. Thirteen came.\nNext line"
    spans = sentences(text)
    assert [text[s.start:s.end] for s in spans] == ["Dr. Huda Kareem led it.", "Thirteen came.", "Next line"]


# -- dates and metadata ----------------------------------------------------------------

@pytest.mark.parametrize("text, year, expected", [
    ("27 April 2018", None, "2018-04-27"),
    ("the 3rd of May 2019", None, "2019-05-03"),
    ("June 12, 2018", None, "2018-06-12"),
    ("7 June", 2019, "2019-06-07"),
    ("7 June", None, None),
    ("September 2017", None, "2017-09"),
    ("2018", None, "2018"),
])
def test_parse_date(text, year, expected):
    assert parse_date(text, year) == expected


def test_date_literal_types():
    assert date_literal("2018-04-27").datatype == XSD.date
    assert date_literal("2018-04").datatype == XSD.gYearMonth
    assert date_literal("2018").datatype == XSD.gYear


@pytest.mark.parametrize("head", ["12 June 2018, Baghdad", "BAGHDAD, 12 June 2018:",
                                  "Published on 12 June 2018", "June 12, 2018 - Baghdad"])
def test_dateline_forms(head):
    meta = read_metadata(f"{head}\n\nThe Forum met in Baghdad.\n")
    assert meta.date == "2018-06-12"


def test_byline_and_signature():
    assert read_metadata("By Layla Hassan\n\nText here.\n").author == "Layla Hassan"
    meta = read_metadata("Text here.\n\nAhmed Kareem, coordinator of the Hit Peace Forum\n")
    assert meta.author == "Ahmed Kareem"
    assert read_metadata("Text here.\n\nThe Article 38 Coalition\n").author is None
    assert read_metadata("Text here.\n\nIraqi Social Forum Secretariat\n").author is None


# -- names -----------------------------------------------------------------------------

def test_slugify_is_stable_and_ascii():
    assert slugify("Hit's Peace Forum") == "hits-peace-forum"
    assert slugify("Café  Mosul!") == "cafe-mosul"
    assert slugify("report.md") == "report-md"


def test_authority_list_resolves_relative_iris():
    graph = authority_graph(BASE)
    assert all(str(s).startswith(BASE) for s in graph.subjects() if isinstance(s, URIRef))


def test_gazetteer_is_case_sensitive_and_prefers_longer_names():
    gaz = Gazetteer.from_graph(authority_graph(BASE))
    hits = gaz.find("The Hit Peace Forum met in Hit; they hit the road.")
    surfaces = [h.surface for h in hits]
    assert "Hit Peace Forum" in surfaces and surfaces.count("Hit") == 1
    acronym = gaz.lookup("ISF")
    assert acronym is not None and acronym.iri == gaz.lookup("Iraqi Social Forum").iri


# -- extraction and provenance ---------------------------------------------------------

def test_every_fact_has_a_statement_with_evidence():
    doc = parse_document(b"12 June 2018, Baghdad\n\nThe Iraqi Social Forum met in Baghdad.\n",
                         "r.txt", "r.txt")
    ex = extract(doc, Gazetteer.from_graph(authority_graph(BASE)), BASE)
    triples = report_triples(doc, ex)
    statements = {s for s, p, o in triples if p == RDF.type and o == CG.FactStatement}
    assert len(statements) == len(ex.facts) >= 3
    for st in statements:
        props = {p: o for s, p, o in triples if s == st}
        start, end = int(props[CG.evidenceStart]), int(props[CG.evidenceEnd])
        assert doc.text[start:end] == str(props[CG.evidenceText])
    assert (ex.report, SDO.datePublished, Literal("2018-06-12", datatype=XSD.date)) in triples


# -- the pipeline over a store ---------------------------------------------------------

def test_sample_corpus_is_large_enough():
    files = [p for p in sample_paths()[0].iterdir() if p.suffix in (".md", ".txt", ".html")
             and p.name != "README.md"]
    assert len(files) >= 25


def test_reingest_is_idempotent_and_remove_drops_one(tmp_path: Path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("# A\n\n12 June 2018, Baghdad\n\nThe Iraqi Social Forum met.\n")
    b.write_text("# B\n\nUn Ponte Per held a meeting.\n")
    store = open_store("memory:")
    first = ingest_paths(store, [tmp_path], BASE, progress=False)
    assert first.reports == 2 and not first.failures
    count = store.quad_count()
    ingest_paths(store, [tmp_path], BASE, progress=False)
    assert store.quad_count() == count
    removed, unknown = remove_reports(store, ["a.md", "nope.md"], BASE)
    assert removed == ["a.md"] and unknown == ["nope.md"]
    assert BASE + "graph/report/b-md" in store.named_graphs()
    assert BASE + "graph/report/a-md" not in store.named_graphs()


def test_bad_files_fail_alone(tmp_path: Path):
    (tmp_path / "good.md").write_text("# Good\n\nThe Iraqi Social Forum met.\n")
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9".encode("latin-1"))
    store = open_store("memory:")
    summary = ingest_paths(store, [tmp_path, tmp_path / "missing.md"], BASE, progress=False)
    assert summary.reports == 1
    assert {Path(p).name for p, _ in summary.failures} == {"empty.md", "latin.txt", "missing.md"}


# -- what makes ingest fast gives the same results -------------------------------------

def _texts() -> list[str]:
    """The sample reports and a seeded soup of the words dates are made of."""
    import random

    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_paths()[0].iterdir())]
    words = ["the", "of", "on", "In", "in", "During", "Throughout", "held", "took place", "was held",
             "Monday", "Friday,", "7", "12", "3rd", "21st", "2019", "2020,", "-", "–", "to", "and",
             "until", "between", "mid-", "early", "June", "May", "Sept.", "Dec", "December", "Jan",
             "12/3/2020", "3.4.2019", "last year", ".", ",", "\n", "١٢", "x7", "2017June", "14th"]
    rng = random.Random(7)
    for _ in range(3000):
        texts.append("".join(rng.choice(words) + rng.choice(["", " ", "  ", "\n"])
                             for _ in range(rng.randint(1, 12))))
    return texts


def test_date_patterns_are_tried_only_where_a_date_can_start():
    from civgraph.ingest import dates

    for text in _texts():
        for kind, pattern in dates._PATTERNS:
            starts = dates._starts(dates._STARTS[kind], text)
            assert [m.span() for m in dates._matches(pattern, starts, text)] == \
                [m.span() for m in pattern.finditer(text)], (kind, text)


def test_tidy_collapses_blanks():
    from civgraph.ingest.read import _tidy

    assert _tidy("  a \t b  \n  c\t\n\n\n\nd \u00a0e\r\nf ") == "a b\nc\n\nd e\nf\n"


def test_packed_extraction_gives_the_same_graph():
    from datetime import datetime, timezone

    from civgraph.ingest.model import Extraction
    from civgraph.ingest.read import read_document

    gaz = Gazetteer.from_graph(authority_graph(BASE))
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    strings: dict[str, str] = {}
    for path in sorted(sample_paths()[0].iterdir()):
        if path.name == "README.md":
            continue
        doc = read_document(path)
        ex = extract(doc, gaz, BASE)
        back = Extraction.unpacked(ex.packed(strings))
        assert (back.report, back.graph, back.entities, back.facts) == (ex.report, ex.graph, ex.entities, ex.facts)
        assert report_triples(doc, back, when=when) == report_triples(doc, ex, when=when)


def _graphs(store) -> set:
    """The quads of the report graphs, but the time each was made."""
    return {q for q in store.quads() if str(q[3]).startswith(BASE + "graph/report/")
            and q[1] != URIRef("http://www.w3.org/ns/prov#generatedAtTime")}


@pytest.fixture(scope="module")
def sample_graphs() -> tuple[set, set]:
    """The report graphs of the samples ingested with the defaults, once and again (a
    second ingest reads with every name known from the start)."""
    reference = open_store("memory:")
    ingest_paths(reference, sample_paths(), BASE, progress=False)
    first = _graphs(reference)
    ingest_paths(reference, sample_paths(), BASE, progress=False)
    return first, _graphs(reference)


def test_ingest_writes_the_same_graphs_however_it_batches(store, monkeypatch, sample_graphs):
    import civgraph.ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "WRITE_BATCH", 7)
    first = ingest_paths(store, sample_paths(), BASE, progress=False)
    assert _graphs(store) == sample_graphs[0]
    # again: now every graph is replaced rather than new
    again = ingest_paths(store, sample_paths(), BASE, progress=False)
    assert _graphs(store) == sample_graphs[1]
    assert again.reports == first.reports and not first.failures


def test_ingest_again_keeps_every_statement_and_its_iri(sample_graphs):
    """Knowing every name from the start may change how a name was found (the rule),
    never which facts a report states nor the IRIs of their statements."""
    stated = {RDF.subject, RDF.predicate, RDF.object}

    def statements(quads):
        return {q for q in quads if q[1] in stated}

    first, again = sample_graphs
    assert statements(first) == statements(again)
