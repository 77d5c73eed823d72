"""The seeded synthetic corpus: realistic articles built from the sentences of the seeds.

The corpus (10,000 articles of about 5 KB, about 50 MB by default) is made of the
sentences of the five real articles in seeds/, with numbers, months, analysts' names and
a few words varied and the sentences shuffled. Its density of citations per MB is
calibrated, with the project's own tagger, to that of the real seeds; about 15% of the
articles mention no feature at all. The five real articles are included as they are (with
their metadata), because layers/*.yaml cites them by file name and the build refuses
curated quotes from missing articles.

The same (articles, seed, generator version, inputs) always gives the same files, and a
stamp file lets a later run reuse them: generation is never timed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.common import LAYERS, SEEDS, load_gazetteer, mb, say, text_mb
from geo.articles import Article, load_articles
from geo.gazetteer import Gazetteer
from geo.mentions import cite_article, find_mentions
from geo.passages import sentence_spans
from geo.problems import Problems
from geo.tagging import tag_corpus

# Bump when a change would make the same seed give other files, so old stamps stop matching.
GENERATOR_VERSION = 3
EMPTY_SHARE = 0.15
ARTICLE_BYTES = (3000, 7000)  # uniform: about 5 KB on average
PILOT_ARTICLES = 200

MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August")
MONTHS += ("September", "October", "November", "December")
# People the seeds quote who are not part of any alias; replaced consistently per article.
QUOTED_PEOPLE = ("Farhad Mamedov", "George Meneshian", "Huda Rizk", "Ramil Usubov")
QUOTED_SURNAMES = ("Markov", "Soltan", "Mamedov", "Meneshian", "Rizk")
INVENTED_PEOPLE = (
    "Leyla Hasanova",
    "Tofig Karimov",
    "Anna Petrosyan",
    "Igor Belov",
    "Nino Beridze",
    "Rauf Guliyev",
    "Mariam Sargsyan",
    "Oleg Vinogradov",
    "Elif Demir",
    "Kamran Aslanov",
    "Sara Navabi",
    "Pavel Orlov",
)
SYNONYMS = (
    ("said", "stated", "noted", "remarked"),
    ("important", "significant", "crucial"),
    ("discussed", "addressed", "examined"),
    ("agreements", "accords", "deals"),
    ("moreover", "furthermore", "besides"),
    ("recently", "lately"),
    ("growth", "expansion"),
    ("partners", "allies"),
    ("experts", "analysts", "observers"),
    ("strengthening", "deepening"),
)
OUTLET_PLACES: tuple[str, ...] = (
    "Caspian",
    "Caucasus",
    "Eurasian",
    "Silk Road",
    "Black Sea",
    "Highland",
)
OUTLET_PLACES += ("Steppe", "Anatolian")
OUTLET_KINDS = ("Ledger", "Courier", "Observer", "Dispatch", "Review")
OUTLETS = tuple(f"The {p} {k}" for p in OUTLET_PLACES for k in OUTLET_KINDS)  # 40 outlets
TITLE_SUBJECTS = ("Analysts", "Officials", "Experts", "Diplomats", "Observers", "Economists")
TITLE_VERBS = ("weigh", "debate", "assess", "question", "discuss", "revisit")
TITLE_TOPICS = (
    "energy ties with Moscow",
    "new transit routes",
    "regional security",
    "trade figures for {year}",
    "the peace agenda",
    "gas export plans",
    "the balance between East and West",
    "investment flows in {year}",
)
SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*$")
FIRST_DAY, LAST_DAY = dt.date(2022, 1, 1), dt.date(2025, 12, 31)
METADATA_HEADER = "# Synthetic corpus written by bench/corpus.py (plus the five real seeds).\n"


@dataclass
class Templates:
    """Sentences of the real articles, split by whether they mention a feature."""

    mention: list[str]
    plain: list[str]
    paragraph_sizes: list[int]


def _kept_sentences(line: str) -> list[str]:
    """The real sentences of one paragraph: six words or more, ending in a stop.

    Headlines and page furniture have no stop or fewer words, and would read as noise.
    """
    spans = (line[a:b] for a, b in sentence_spans(line, 0, len(line)))
    return [s for s in spans if len(s.split()) >= 6 and SENTENCE_END.search(s)]


def extract_templates(articles: Sequence[Article], gazetteer: Gazetteer) -> Templates:
    """The real sentences of articles, and how many of them each paragraph holds."""
    mention: list[str] = []
    plain: list[str] = []
    sizes: list[int] = []
    for article in articles:
        for line in article.text.split("\n"):
            kept = _kept_sentences(line)
            for sentence in kept:
                (mention if find_mentions(sentence, gazetteer) else plain).append(sentence)
            if kept:
                sizes.append(len(kept))
    return Templates(sorted(set(mention)), sorted(set(plain)), sizes)


class Varier:
    """Varies a template sentence: numbers, months, quoted people and a few words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: dict[str, str] = {}
        words = [w for group in SYNONYMS for w in group]
        self.synonyms = {w: group for group in SYNONYMS for w in group}
        names = sorted([*QUOTED_PEOPLE, *QUOTED_SURNAMES], key=len, reverse=True)
        # Names and months case-sensitively ("may" is not May); the other words in any case.
        self.pattern = re.compile(
            r"\d+|\b(?:"
            + "|".join(re.escape(x) for x in [*names, *MONTHS])
            + r")\b|\b(?i:"
            + "|".join(words)
            + r")\b"
        )

    def new_article(self) -> None:
        """Pick new stand-ins for the quoted people (the same throughout one article)."""
        chosen = self.rng.sample(INVENTED_PEOPLE, len(QUOTED_PEOPLE) + len(QUOTED_SURNAMES))
        self.people = dict(zip([*QUOTED_PEOPLE, *QUOTED_SURNAMES], chosen, strict=True))
        for name in QUOTED_SURNAMES:
            self.people[name] = self.people[name].split()[-1]

    def _replace(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if word.isdigit():
            return self._number(word)
        if word in self.people:
            return self.people[word]
        if word in MONTHS:
            return self.rng.choice(MONTHS)
        group = self.synonyms.get(word.lower())
        if group is None:
            return word
        choice = self.rng.choice(group)
        return choice[0].upper() + choice[1:] if word[0].isupper() else choice

    def _number(self, digits: str) -> str:
        value = int(digits)
        if len(digits) == 4 and 1900 <= value <= 2099:
            return str(self.rng.randint(1995, 2025))
        if len(digits) == 1:
            return str(self.rng.randint(1, 9))
        return str(self.rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    def vary(self, sentence: str) -> str:
        """A varied copy of sentence."""
        return self.pattern.sub(self._replace, sentence)


@dataclass
class _Orders:
    """The templates still to draw in one article, per pool."""

    mention: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)


class Writer:
    """Builds article texts from templates with a given share of mentioning sentences."""

    def __init__(self, templates: Templates, gazetteer: Gazetteer, rng: random.Random) -> None:
        self.t = templates
        self.gazetteer = gazetteer
        self.rng = rng
        self.varier = Varier(rng)

    def _draw(self, pool: list[str], order: list[str]) -> str:
        # Without replacement within an article, so an article rarely repeats a sentence.
        if not order:
            order.extend(self.rng.sample(pool, len(pool)))
        return order.pop()

    def _plain(self, order: list[str]) -> str:
        template = self._draw(self.t.plain, order)
        varied = self.varier.vary(template)
        return template if find_mentions(varied, self.gazetteer) else varied

    def _sentence(self, mention_share: float, orders: _Orders) -> str:
        if self.rng.random() < mention_share:
            return self.varier.vary(self._draw(self.t.mention, orders.mention))
        return self._plain(orders.plain)

    def _text(self, target: int, mention_share: float, orders: _Orders) -> str:
        paragraphs: list[str] = []
        size = 0
        while size < target:
            sentences: list[str] = []
            # Stop mid-paragraph once the article is long enough (a real paragraph may
            # hold 30 sentences).
            for _ in range(self.rng.choice(self.t.paragraph_sizes)):
                if size >= target:
                    break
                sentence = self._sentence(mention_share, orders)
                sentences.append(sentence)
                size += len(sentence.encode("utf-8")) + 1
            paragraphs.append(" ".join(sentences))
        return "\n".join(paragraphs) + "\n"

    def article(self, mention_share: float) -> str:
        """One article of 3-7 KB (5 KB on average); mention_share 0 makes one that cites nothing."""
        self.varier.new_article()
        target = self.rng.randint(*ARTICLE_BYTES)
        orders = _Orders()
        while True:
            text = self._text(target, mention_share, orders)
            # A mention could, in principle, straddle two joined sentences: check the whole.
            if mention_share > 0 or not find_mentions(text, self.gazetteer):
                return text


def density(texts: Sequence[str], gazetteer: Gazetteer) -> float:
    """Citations per MB of texts, counted by the project's tagger."""
    cites = sum(len(cite_article(f"pilot-{i}", t, gazetteer)) for i, t in enumerate(texts))
    return cites / mb(sum(len(t.encode("utf-8")) for t in texts))


def calibrate(
    templates: Templates, gazetteer: Gazetteer, target: float, seed: int
) -> tuple[float, float]:
    """Share of mentioning sentences that gives mentioning articles `target` citations/MB."""
    share = len(templates.mention) / (len(templates.mention) + len(templates.plain))
    measured = 0.0
    for step in range(4):
        writer = Writer(templates, gazetteer, random.Random(f"pilot-{seed}-{step}"))
        measured = density([writer.article(share) for _ in range(PILOT_ARTICLES)], gazetteer)
        if abs(measured / target - 1) < 0.03:
            break
        share = min(0.95, max(0.02, share * target / measured))
    return share, measured


def input_hash() -> str:
    """Hash of what the corpus is made from: the real seeds and the layer YAML files."""
    digest = hashlib.sha256()
    for path in sorted([*SEEDS.glob("*.txt"), SEEDS / "metadata.yaml", *LAYERS.glob("*.yaml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class _Recipe:
    """What the synthetic articles are drawn from, worked out from the real seeds."""

    real: list[Article]
    gazetteer: Gazetteer
    templates: Templates
    real_density: float
    share: float
    pilot_density: float


def _recipe(n_articles: int, seed: int) -> _Recipe:
    problems = Problems()
    real = load_articles(SEEDS, problems)
    if n_articles <= len(real):
        raise SystemExit(f"--articles must exceed the {len(real)} real articles")
    gazetteer = load_gazetteer(LAYERS)
    real_density = len(tag_corpus(real, gazetteer)) / text_mb(real)
    templates = extract_templates(real, gazetteer)
    # Articles that cite nothing dilute the corpus: the others must be denser to match.
    share, pilot = calibrate(templates, gazetteer, real_density / (1 - EMPTY_SHARE), seed)
    say(
        f"corpus: real seeds {real_density:.0f} citations/MB; {len(templates.mention)} "
        f"mentioning and {len(templates.plain)} plain template sentences; mentioning "
        f"sentence share {share:.3f} gives {pilot:.0f} citations/MB in mentioning articles"
    )
    return _Recipe(real, gazetteer, templates, real_density, share, pilot)


def _write_synthetic(
    corpus: Path, recipe: _Recipe, n_synthetic: int, seed: int
) -> tuple[dict[str, dict[str, str]], int]:
    """Write the synthetic articles; return their metadata and how many cite nothing."""
    # One generator, drawn from in a fixed order: this order is what the seed means.
    rng = random.Random(seed)
    writer = Writer(recipe.templates, recipe.gazetteer, rng)
    empty = set(rng.sample(range(n_synthetic), round(EMPTY_SHARE * n_synthetic)))
    metadata: dict[str, dict[str, str]] = {}
    days = (LAST_DAY - FIRST_DAY).days
    for i in range(n_synthetic):
        name = f"{i:05d}_{rng.getrandbits(64):016x}.txt"
        text = writer.article(0.0 if i in empty else recipe.share)
        (corpus / name).write_text(text, encoding="utf-8")
        date = FIRST_DAY + dt.timedelta(days=rng.randint(0, days))
        topic = rng.choice(TITLE_TOPICS).format(year=date.year)
        metadata[name] = {
            "title": f"{rng.choice(TITLE_SUBJECTS)} {rng.choice(TITLE_VERBS)} {topic}",
            "outlet": rng.choice(OUTLETS),
            "date": date.isoformat(),
        }
    return metadata, len(empty)


def _write_real(corpus: Path, real: Sequence[Article], metadata: dict[str, Any]) -> None:
    """Copy the real articles, whose curated quotes layers/*.yaml cites by file name."""
    real_meta = yaml.safe_load((SEEDS / "metadata.yaml").read_text(encoding="utf-8")) or {}
    for article in real:
        shutil.copyfile(article.path, corpus / article.id)
        metadata[article.id] = real_meta.get(article.id, {})
    (corpus / "metadata.yaml").write_text(
        METADATA_HEADER + yaml.safe_dump(metadata, sort_keys=True, allow_unicode=True, width=1000),
        encoding="utf-8",
    )


def _reusable(stamp_path: Path, wanted: dict[str, Any]) -> dict[str, Any] | None:
    """The stamp of an existing corpus made with the wanted parameters, if there is one."""
    if not stamp_path.is_file():
        return None
    stamp: dict[str, Any] = json.loads(stamp_path.read_text(encoding="utf-8"))
    return stamp if {k: stamp.get(k) for k in wanted} == wanted else None


def make_corpus(corpus: Path, n_articles: int, seed: int) -> dict[str, Any]:
    """Write the corpus into the folder `corpus` (or reuse it); return its stamp."""
    wanted: dict[str, Any] = {
        "articles": n_articles,
        "seed": seed,
        "generator": GENERATOR_VERSION,
        "inputs": input_hash(),
    }
    stamp_path = corpus / "stamp.json"
    reused = _reusable(stamp_path, wanted)
    if reused is not None:
        say(f"corpus: reusing {corpus} (stamp matches)")
        return reused
    start = time.perf_counter()
    recipe = _recipe(n_articles, seed)
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    metadata, n_empty = _write_synthetic(corpus, recipe, n_articles - len(recipe.real), seed)
    _write_real(corpus, recipe.real, metadata)
    stamp = {
        **wanted,
        "real_citations_per_mb": round(recipe.real_density, 1),
        "mention_share": round(recipe.share, 4),
        "pilot_citations_per_mb": round(recipe.pilot_density, 1),
        "empty_articles": n_empty,
        "real_articles_included": len(recipe.real),
    }
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    say(f"corpus: wrote {n_articles} articles in {time.perf_counter() - start:.1f} s (untimed)")
    return stamp
