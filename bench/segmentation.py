"""``python -m bench.segmentation``: the cost of cutting sentences, segmenter against repairs.

Times, on the paragraphs of bench-out/corpus/*.txt (or, without it, of eval/articles/*.txt
repeated), (a) sentencex alone and (b) geo.passages as the tagger uses it: one Excerpts
per article, its sentences() for every paragraph, and span() for every mention (here,
every place name of a fixed list, which is enough to exercise the per-mention path). The
paragraphs and mentions are found before the clock starts: only the cutting is timed.

(b) runs twice, with the current geo.passages and with REFERENCE below: the
implementation before the repairs were made faster, kept as it was so that one run gives
before and after on the same machine and load. Each figure is the best of several rounds,
in CPU time, taken in turns so that a busy machine slows all of them alike.
"""

from __future__ import annotations

import argparse
import itertools
import re
import time
from collections.abc import Callable
from pathlib import Path

import sentencex

from geo import passages
from geo.passages import Excerpts

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench-out" / "corpus"
EVAL_ARTICLES = ROOT / "eval" / "articles"
PARAGRAPH = re.compile(r"[^\n]+")
# Stand-ins for the gazetteer's names: words the articles mention often.
MENTION = re.compile(r"\b(?:Baku|Tbilisi|Yerevan|Azerbaijan|Georgia|Armenia|TAP|corridor)\b")

# --- REFERENCE: geo/passages.py's sentence_spans before it was made faster -----------
# Copied unchanged (but for the names), so that the speed-up is measured against it and
# tests/test_passages.py can check the fast version against it on generated text.

_REF_MISSED = re.compile(
    r"([.!?][\"”]?)(?:\s+(?=[\"“]?[A-Z])|(?=[\"“]?[A-Za-z]{3})|(?=[\"“][A-Z]))"
)
_REF_WORD_BEFORE = re.compile(r"[A-Za-z0-9)\]]{2}")
_REF_HAS_WORD = re.compile(r"\w")
_REF_ABBREVIATIONS = frozenset(
    "gen col lt sgt capt maj prof dr mr mrs ms st jr sr vs approx etc no "  # noqa: SIM905
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _ref_trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ref_missed_cuts(text: str, start: int, end: int) -> set[int]:
    cuts = set()
    for match in _REF_MISSED.finditer(text, start, end):
        if not _REF_WORD_BEFORE.match(text, match.start() - 2, match.start()):
            continue
        word_start = match.start()
        while word_start > start and text[word_start - 1].isalpha():
            word_start -= 1
        if text[word_start : match.start()].lower() not in _REF_ABBREVIATIONS:
            cuts.add(match.end(1))
    return cuts


def _ref_quote_fixed(text: str, origin: int, cut: int) -> int:
    right = cut
    while right < len(text) and text[right] == " ":
        right += 1
    if right < len(text) and text[right] == '"' and text.count('"', origin, right) % 2 == 1:
        return right + 1
    left = cut - 1
    while left > origin and text[left] == " ":
        left -= 1
    if left >= origin and text[left] == '"' and text.count('"', origin, left) % 2 == 0:
        return left
    return cut


def reference_sentence_spans(
    text: str, start: int, end: int, paragraph_start: int | None = None
) -> list[tuple[int, int]]:
    """REFERENCE: sentence_spans as it was, one repair step at a time."""
    origin = start if paragraph_start is None else paragraph_start
    cuts = _ref_missed_cuts(text, start, end)
    for boundary in sentencex.get_sentence_boundaries("en", text[start:end]):
        cut = start + boundary["end_index"]
        if start < cut < end and text[cut - 1].isspace():
            cuts.add(cut)
    fixed = sorted({_ref_quote_fixed(text, origin, c) for c in cuts} - {start, end})
    spans = [_ref_trimmed(text, a, b) for a, b in itertools.pairwise([start, *fixed, end])]
    return [(a, b) for a, b in spans if _REF_HAS_WORD.search(text, a, b)]


class ReferenceExcerpts(Excerpts):
    """REFERENCE: Excerpts cutting its paragraphs with reference_sentence_spans."""

    def _cut(self, bounds: tuple[int, int]) -> tuple[list[int], list[tuple[int, int]]]:
        cached = self._paragraphs.get(bounds)
        if cached is None:
            spans = reference_sentence_spans(self.text, *bounds, bounds[0])
            spans = spans or [_ref_trimmed(self.text, *bounds)]
            cached = ([a for a, _ in spans], spans)
            self._paragraphs[bounds] = cached
        return cached


# --- END OF REFERENCE -----------------------------------------------------------------


def load_texts(limit: int, minimum_chars: int = 2_000_000) -> tuple[str, list[str]]:
    """The corpus texts (up to limit files), or the eval articles repeated to minimum_chars."""
    files = sorted(CORPUS.glob("*.txt"))[:limit]
    if files:
        return f"{len(files)} files of {CORPUS.relative_to(ROOT)}", [
            f.read_text(encoding="utf-8") for f in files
        ]
    articles = [f.read_text(encoding="utf-8") for f in sorted(EVAL_ARTICLES.glob("*.txt"))]
    size = max(1, sum(map(len, articles)))
    texts = articles * max(1, -(-minimum_chars // size))
    return f"{len(articles)} eval articles x {len(texts) // len(articles)}", texts


# An article's text, its paragraphs' spans and its mentions' spans.
Case = tuple[str, list[tuple[int, int]], list[tuple[int, int]]]


def cases_of(texts: list[str]) -> list[Case]:
    """Each text with the spans of its paragraphs and mentions, found before the clock
    starts: finding them is the harness's work, not the segmentation's."""
    return [
        (t, [m.span() for m in PARAGRAPH.finditer(t)], [m.span() for m in MENTION.finditer(t)])
        for t in texts
    ]


def tag_like(cases: list[Case], excerpts: type[Excerpts]) -> int:
    """Cut the texts as the tagger does: every paragraph, then every mention's sentence."""
    cut = 0
    for text, paragraphs, mentions in cases:
        cutter = excerpts(text)
        for start, end in paragraphs:
            cut += len(cutter.sentences(start, end))
        for start, end in mentions:
            cutter.span(start, end)
    return cut


def best_times(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best CPU time of each run over the rounds, the runs taken in turns."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            began = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - began)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--files", type=int, default=2000, help="corpus files to read")
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the best counts")
    args = parser.parse_args(argv)
    source, texts = load_texts(args.files)
    paragraphs = [m.group() for t in texts for m in PARAGRAPH.finditer(t)]
    cases = cases_of(texts)
    if tag_like(cases, Excerpts) != tag_like(cases, ReferenceExcerpts):
        raise SystemExit("the current and reference passages cut differently")
    best = best_times(
        {
            "sentencex.get_sentence_boundaries": lambda: [
                sentencex.get_sentence_boundaries("en", p) for p in paragraphs
            ],
            "sentencex.segment": lambda: [sentencex.segment("en", p) for p in paragraphs],
            "passages, reference (before)": lambda: tag_like(cases, ReferenceExcerpts),
            "passages, current": lambda: tag_like(cases, Excerpts),
        },
        args.rounds,
    )
    raw = best["sentencex.get_sentence_boundaries"]
    mentions = sum(len(MENTION.findall(t)) for t in texts)
    print(f"{source}: {len(paragraphs)} paragraphs, {mentions} mentions, best of {args.rounds}")
    for name, seconds in best.items():
        print(f"  {name:36s} {seconds * 1000:8.1f} ms  {seconds / raw:5.2f}x raw sentencex")
    before, after = best["passages, reference (before)"], best["passages, current"]
    print(f"  speed-up of {passages.__name__}: {before / after:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
