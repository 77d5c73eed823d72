"""The reader's table: verbatim passages, a word index that finds them, parts that load."""

from __future__ import annotations

import base64
import gzip
import json
import re

import pytest

import geo.reader
from geo.citation_store import CitationStore
from geo.folding import WORD
from geo.reader import (
    DIGEST_LAST,
    DIGEST_MORE,
    _js_string,
    digest_digits,
    fold,
    keep_reader_parts,
    reader_data,
    reader_page,
    stream_reader,
)
from geo.tagging import tag_articles
from tests.project import PROJECT

ARTICLES, LAYERS, GAZETTEER, _ = PROJECT


def test_every_citation_is_a_passage_of_its_feature() -> None:
    citations = [c for cs, _ in tag_articles(ARTICLES, GAZETTEER) for c in cs]
    table = reader_data(LAYERS, citations, ARTICLES, GAZETTEER)
    ids = [row[0] for row in table["features"]]
    order = [row[0] for row in table["articles"]]
    spans = {(order[p[0]], p[1], p[2]): {ids[f] for f in p[3]} for p in table["passages"]}
    for c in citations:
        assert c.feature_id in spans[c.article_id, c.start, c.end]
    # One article's passages are one run, newest article first.
    ranks = [p[0] for p in table["passages"]]
    assert ranks == sorted(ranks)
    for r, row in enumerate(table["articles"]):
        run = table["passages"][row[6] : row[6] + row[7]]
        assert all(p[0] == r for p in run)
        assert table["texts"][r] == next(a.text for a in ARTICLES if a.id == row[0])


def test_the_word_index_finds_every_word_of_every_passage() -> None:
    citations = [c for cs, _ in tag_articles(ARTICLES, GAZETTEER) for c in cs]
    table = reader_data(LAYERS, citations, ARTICLES, GAZETTEER)
    postings = {}
    for words in table["index"].values():
        for word, deltas in words.items():
            numbers = [int(d) for d in deltas.split(",")]
            postings[word] = {sum(numbers[: i + 1]) for i in range(len(numbers))}
    for number, (r, start, end, *_) in enumerate(table["passages"]):
        for m in WORD.finditer(table["texts"][r], start, end):
            assert number in postings[fold(m.group())]
            assert fold(m.group())[:2] in table["index"]


@pytest.mark.parametrize("per_part", [65536, 3])
def test_the_digest_gives_each_passage_its_article_and_features(
    per_part: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Parts of 3 passages cut an article's run of passages across parts.
    monkeypatch.setattr(geo.reader, "DIGEST_PER_PART", per_part)
    citations = [c for cs, _ in tag_articles(ARTICLES, GAZETTEER) for c in cs]
    table = reader_data(LAYERS, citations, ARTICLES, GAZETTEER)
    ranks, sets = [], []
    for part in table["digest"]:
        for rank, n in zip(part["ranks"][::2], part["ranks"][1::2], strict=True):
            ranks += [rank] * n
        sets += [
            digest_number(digits) for digits in re.findall("[g-z0-9_-]*[A-Za-f]", part["sets"])
        ]
    assert ranks == [p[0] for p in table["passages"]]
    assert [table["feature_sets"][s] for s in sets] == [p[3] for p in table["passages"]]
    assert len(table["feature_sets"]) < len(table["passages"])
    assert all(sum(c in DIGEST_LAST for c in p["sets"]) <= per_part for p in table["digest"])


def digest_number(digits: str) -> int:
    """The number digest_digits wrote, read back as reader.js reads it."""
    number = 0
    for c in digits[:-1]:
        number = number * 32 + DIGEST_MORE.index(c)
    return number * 32 + DIGEST_LAST.index(digits[-1])


@pytest.mark.parametrize("number", [0, 1, 31, 32, 33, 1023, 1024, 123_456])
def test_digest_digits_read_back(number: int) -> None:
    assert digest_number(digest_digits(number)) == number


def test_aliases_are_searchable_names() -> None:
    table = reader_data(LAYERS, [], ARTICLES, GAZETTEER)
    names = {row[0]: row[3] for row in table["features"]}
    assert "North-South Transport Corridor" in names["instc"]
    assert "Teheran" in names["tehran"]


def test_parts_beside_the_page_are_scripts_handing_over_their_part() -> None:
    page, files = reader_page(LAYERS, [], ARTICLES, GAZETTEER, beside=True)
    assert page["parts"] == {}
    call = re.compile(r'window\.citedReader\.part\(("(?:[^"\\]|\\.)*"), "([A-Za-z0-9+/=]+)"\);\n')
    keys = {}
    for name, script in files.items():
        m = call.fullmatch(script.decode("ascii"))
        assert m, name
        keys[json.loads(m.group(1))] = json.loads(gzip.decompress(base64.b64decode(m.group(2))))
    assert set(keys) == set(page["files"])
    assert keys["texts/0"][0] == sorted(ARTICLES, key=lambda a: (a.date, a.id))[-1].text


def test_a_key_cannot_close_the_script() -> None:
    text = _js_string('</script><b>"x"')
    assert "<" not in text and json.loads(text) == '</script><b>"x"'


def _shards(held: int) -> list[tuple[str, object]]:
    citations = [c for cs, _ in tag_articles(ARTICLES, GAZETTEER) for c in cs]
    shards: list[tuple[str, object]] = []

    def keep(kind: str, key: int | str, rows: object) -> None:
        if kind == "index":
            shards.append((str(key), rows))

    with CitationStore.in_memory(citations, ARTICLES) as store:
        stream_reader(LAYERS, store, GAZETTEER, keep, held=held)
    return shards


def test_an_index_spilled_to_the_store_is_the_index_held_in_memory() -> None:
    held = _shards(10**9)
    # A run per passage, or nearly: every word's runs are joined again.
    for spilled in (_shards(1), _shards(7)):
        assert json.dumps(spilled) == json.dumps(held)
    assert [shard for shard, _ in held] == sorted(shard for shard, _ in held)


def test_the_page_keeps_its_parts_in_the_order_of_their_kinds() -> None:
    citations = [c for cs, _ in tag_articles(ARTICLES, GAZETTEER) for c in cs]
    with CitationStore.in_memory(citations, ARTICLES) as store:
        keep_reader_parts(LAYERS, store, GAZETTEER)
        inline = [key.split("/")[0] for key, _ in store.parts()]
        by_key = [key for key, _ in store.parts(by_key=True)]
    kinds = ["articles", "passages", "texts", "index", "digest"]
    assert inline == sorted(inline, key=kinds.index)
    assert by_key == sorted(by_key)
