"""The matcher on the project's gazetteer: each class of text it must handle, beside its trap.

Each case is a sentence (or a short paragraph), the features it must cite and
the features it must not. They are written for these tests, not taken from the
seeds, so that they test the rules rather than the seeds' wordings.
"""

from __future__ import annotations

import pytest

from geo.folding import skeleton, tokens, word_key
from geo.mentions import cite_article, find_mentions
from tests.project import PROJECT

GAZETTEER = PROJECT[2]

# (class, text, article date, must cite, must not cite)
CASES: list[tuple[str, str, str, set[str], set[str]]] = [
    # 1. Spelling and transliteration.
    ("spelling", "Tankers loaded at Novorossiisk.", "", {"novorossiysk"}, set()),
    ("spelling", "Crude reached Novorossijsk on Friday.", "", {"novorossiysk"}, set()),
    ("spelling", "Trains will run to Naxçıvan.", "", {"nakhchivan"}, set()),
    ("spelling", "Trains will run to Nakhichevan.", "", {"nakhchivan"}, set()),
    ("spelling", "The Zengezur corridor was discussed.", "", {"zangezur-corridor"}, set()),
    ("spelling", "Residents of Siunik province protested.", "", {"zangezur-area"}, set()),
    ("spelling", "Shahdeniz output rose.", "", {"shah-deniz"}, set()),
    ("spelling", "Şahdəniz output rose.", "", {"shah-deniz"}, set()),
    ("spelling-trap", "Ships sailed to Astrakhan.", "", set(), {"astara"}),
    # A name with an apostrophe, written with either one.
    ("spelling", "The talks in Azerbaijan’s capital ended.", "", {"baku"}, set()),
    ("spelling", "The talks in Azerbaijan's capital ended.", "", {"baku"}, set()),
    ("spelling-trap", "Azerbaijan's capital markets are small.", "", set(), {"baku"}),
    ("spelling-trap", "He read a book in the bakery.", "", set(), {"baku"}),
    # 2. Order and joiners in route names.
    ("order", "The Astara–Rasht railway is due in 2028.", "", {"rasht-astara"}, {"astara"}),
    ("order", "Work on the railway from Resht to Astara began.", "", {"rasht-astara"}, set()),
    ("order", "The line between Astara and Rasht is unbuilt.", "", {"rasht-astara"}, set()),
    (
        "order",
        "The Baku-Tbilisi-Erzurum pipeline carries gas.",
        "",
        {"south-caucasus-pipeline"},
        {"baku"},
    ),
    (
        "order-trap",
        "The Baku–Tbilisi–Ceyhan pipeline carries oil.",
        "",
        set(),
        {"south-caucasus-pipeline", "baku"},
    ),
    ("order-trap", "The Rasht–Astara road is busy with trucks.", "", set(), {"rasht-astara"}),
    # Ends joined by "to" before a head noun, and an end told by what it is.
    ("order", "Work on the Rasht to Astara railway began.", "", {"rasht-astara"}, set()),
    ("order", "Oil moves in the Baku-to-Novorossiysk pipeline.", "", {"baku-novorossiysk"}, set()),
    (
        "order",
        "The pipeline that links Baku with the Black Sea port of Novorossiysk is old.",
        "",
        {"baku-novorossiysk"},
        set(),
    ),
    (
        "order",
        "The railway between Rasht and the port of Astara waits.",
        "",
        {"rasht-astara"},
        set(),
    ),
    # An end told by a description closed by "at" or "near"; a place so described is named.
    (
        "order",
        "The railway between Rasht and the Azerbaijani border at Astara waits.",
        "",
        {"rasht-astara", "astara"},
        set(),
    ),
    (
        "order",
        "A road will run from Aghband to the Nakhichevan border near Ordubad.",
        "",
        {"aras-corridor", "nakhchivan"},
        set(),
    ),
    # A bare end is no place of its own, even before a verb.
    (
        "order-trap",
        "When will the railway from Rasht to Astara start?",
        "",
        {"rasht-astara"},
        {"astara"},
    ),
    (
        "order-trap",
        "Oil went through the pipeline from Baku to Novorossiysk.",
        "",
        {"baku-novorossiysk"},
        {"baku", "novorossiysk"},
    ),
    (
        "order-trap",
        "The railway between Rasht and the border at Yalama is old.",
        "",
        set(),
        {"rasht-astara"},
    ),
    # Not a journey told with "from", nor an end's own noun.
    ("order-trap", "Flights from Baku to Novorossiysk line up.", "", set(), {"baku-novorossiysk"}),
    ("order-trap", "He drove from Rasht to the Astara railway.", "", set(), {"rasht-astara"}),
    # 3. Head nouns.
    (
        "head",
        "Flows on the Baku-Novorossiisk oil pipeline fell.",
        "",
        {"baku-novorossiysk"},
        {"baku", "novorossiysk"},
    ),
    (
        "head",
        "The South Caucasus gas pipeline was expanded.",
        "",
        {"south-caucasus-pipeline"},
        set(),
    ),
    (
        "head-trap",
        "The South Caucasus region is mountainous.",
        "",
        set(),
        {"south-caucasus-pipeline"},
    ),
    # 4. Coordination.
    (
        "coordination",
        "The South Caucasus and Trans-Anatolian pipelines carry gas.",
        "",
        {"south-caucasus-pipeline", "tanap"},
        set(),
    ),
    ("coordination", "TAP and TANAP were completed.", "", {"tap", "tanap"}, set()),
    # 5. New and official names.
    (
        "names",
        "The Trump Route for International Peace and Prosperity was signed.",
        "",
        {"zangezur-corridor"},
        set(),
    ),
    ("names", "Work on TRIPP starts next year.", "", {"zangezur-corridor"}, set()),
    ("names", "SOCAR ships crude via the Northern Route.", "", {"baku-novorossiysk"}, set()),
    (
        "names-trap",
        "Ships took the Northern Sea Route to Asia.",
        "",
        set(),
        {"baku-novorossiysk"},
    ),
    (
        "names-trap",
        "They took the northern route over the hills.",
        "",
        set(),
        {"baku-novorossiysk"},
    ),
    (
        "umbrella",
        "The Southern Gas Corridor delivers gas to Europe.",
        "",
        set(),
        {"tap", "tanap", "south-caucasus-pipeline"},
    ),
    # 6. Reference back.
    (
        "reference",
        "Iran signed the Rasht-Astara railway deal. The line will cost 1.6 bn euros.",
        "",
        {"rasht-astara"},
        set(),
    ),
    (
        "reference-trap",
        "Kazakhstan backs the Middle Corridor. The corridor avoids Russia.",
        "",
        set(),
        {"instc", "zangezur-corridor", "aras-corridor"},
    ),
    (
        "reference-trap",
        "TAP and TANAP are complete. The pipeline carries gas.",
        "",
        {"tap", "tanap"},
        set(),
    ),
    # A place may declare nouns that refer back to it: the gas field's platform.
    (
        "reference",
        "Shah Deniz output rose. Gas from the platform goes ashore.",
        "",
        {"shah-deniz"},
        set(),
    ),
    # 7. Events.
    (
        "event",
        "The Kremlin chief arrived in Baku on Sunday.",
        "2024-08-18",
        {"putin-baku-2024", "baku"},
        set(),
    ),
    (
        "event",
        "The Russian leader's trip to Azerbaijan was short.",
        "2024-08-20",
        {"putin-baku-2024"},
        set(),
    ),
    (
        "event-trap",
        "Putin arrived in Baku in August 2016 for a summit.",
        "2024-08-20",
        {"baku"},
        {"putin-baku-2024"},
    ),
    (
        "event-trap",
        "Putin's visit to Pyongyang drew criticism.",
        "2024-08-20",
        set(),
        {"putin-baku-2024"},
    ),
    (
        "event-trap",
        "Putin arrived in Baku on Sunday.",
        "2016-08-07",
        {"baku"},
        {"putin-baku-2024"},
    ),
    (
        "event-trap",
        "Putin held talks with Aliyev in Baku.",
        "2024-08-19",
        {"putin-baku-2024"},
        {"aliyev-moscow-2022"},
    ),
    (
        "event",
        "Aliyev flew to Moscow for talks in February 2022.",
        "2022-02-23",
        {"aliyev-moscow-2022", "moscow"},
        set(),
    ),
    (
        "event-trap",
        "Aliyev flew to Moscow for talks in April 2024.",
        "2024-04-23",
        {"moscow"},
        {"aliyev-moscow-2022"},
    ),
    (
        "event",
        "Gerasimov met Petr Pavel in Baku.",
        "2017-09-08",
        {"gerasimov-pavel-2017"},
        {"gerasimov-dunford-2017", "gerasimov-scaparrotti-2018"},
    ),
    (
        "event-trap",
        "Dunford met Gerasimov in Helsinki.",
        "2017-06-09",
        set(),
        {"gerasimov-dunford-2017"},
    ),
    # Visitors told by role, not name.
    (
        "event",
        "The Kremlin boss arrived in Baku on Sunday.",
        "2024-08-18",
        {"putin-baku-2024"},
        set(),
    ),
    (
        "event",
        "Moscow's top general met the US military chief in Baku.",
        "2017-02-17",
        {"gerasimov-dunford-2017"},
        {"gerasimov-pavel-2017", "gerasimov-scaparrotti-2018"},
    ),
    (
        "event",
        "Russia's Security Council secretary arrived in Baku.",
        "2024-09-23",
        {"shoigu-baku-2024"},
        set(),
    ),
    (
        "event-trap",
        "The former defence minister flew to Beijing.",
        "2024-09-23",
        set(),
        {"shoigu-baku-2024"},
    ),
    (
        "event-trap",
        "The Kremlin boss arrived in Baku in 2016.",
        "2024-08-18",
        {"baku"},
        {"putin-baku-2024"},
    ),
    # A visit told without a word of visiting: who, in the place, at a fitting date.
    (
        "event",
        "Putin, in Baku on 19 August, said ties were strong.",
        "2024-12-01",
        {"putin-baku-2024", "baku"},
        set(),
    ),
    (
        "event",
        "Gerasimov was in Baku in February 2017.",
        "2017-03-01",
        {"gerasimov-dunford-2017"},
        {"gerasimov-pavel-2017"},
    ),
    (
        "event-trap",
        "Putin, in Baku on 19 March, said ties were strong.",
        "2024-12-01",
        {"baku"},
        {"putin-baku-2024"},
    ),
    (
        "event-trap",
        "Putin, in Baku on 19 August, said ties were strong.",
        "2026-05-01",
        {"baku"},
        {"putin-baku-2024"},
    ),
    (
        "event-trap",
        "Putin said in August that Baku was a partner.",
        "2024-12-01",
        set(),
        {"putin-baku-2024"},
    ),
    (
        "event-trap",
        "Putin, in Beijing on 19 August, said ties were strong.",
        "2024-12-01",
        set(),
        {"putin-baku-2024"},
    ),
    (
        "event-trap",
        "Putin was in Baku in August 2016.",
        "2024-12-01",
        {"baku"},
        {"putin-baku-2024"},
    ),
    # 8. Ambiguity.
    (
        "ambiguity",
        "Meghri lies in Armenia's Zangezur, the Syunik province.",
        "",
        {"zangezur-area"},
        set(),
    ),
    (
        "ambiguity-trap",
        "Azerbaijan rebuilds villages in East Zangezur.",
        "",
        set(),
        {"zangezur-area"},
    ),
    (
        "ambiguity-trap",
        "Hikers crossed the Zangezur mountains in Nakhchivan.",
        "",
        {"nakhchivan"},
        {"zangezur-area"},
    ),
    (
        "ambiguity-trap",
        "The TAPI pipeline would bring Turkmen gas to India.",
        "",
        set(),
        {"tap"},
    ),
    ("ambiguity-trap", "They tap the line for water.", "", set(), {"tap"}),
    (
        "ambiguity-trap",
        "The CPC pipeline ends at Novorossiysk.",
        "",
        {"novorossiysk"},
        {"baku-novorossiysk"},
    ),
    (
        "ambiguity-trap",
        "The North-South energy corridor links power grids.",
        "",
        set(),
        {"instc"},
    ),
    (
        "ambiguity-trap",
        "Companies with Russian capital are registered in Azerbaijan.",
        "",
        set(),
        {"moscow"},
    ),
]


def cited(text: str, article_date: str) -> set[str]:
    return {c.feature_id for c in cite_article("test.txt", text, GAZETTEER, article_date)}


@pytest.mark.parametrize(
    ("kind", "text", "article_date", "must", "must_not"),
    CASES,
    ids=[f"{c[0]}:{c[1][:40]}" for c in CASES],
)
def test_case(kind: str, text: str, article_date: str, must: set[str], must_not: set[str]) -> None:
    found = cited(text, article_date)
    assert must <= found, f"missing {must - found}"
    assert not (must_not & found), f"wrongly cited {must_not & found}"


def test_a_reference_back_records_its_antecedent() -> None:
    text = "Iran signed the Rasht-Astara railway deal. The line will cost 1.6 bn euros."
    [ref] = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert text[ref.start : ref.end] == "The line will cost 1.6 bn euros."
    assert ref.antecedent is not None
    assert text[ref.antecedent[0] : ref.antecedent[1]] == "Rasht-Astara railway"


def test_an_ambiguous_reference_cites_nothing() -> None:
    text = (
        "The Rasht-Astara railway and the North-South corridor were discussed. The project is late."
    )
    assert [c.how for c in cite_article("t.txt", text, GAZETTEER)].count("reference") == 0


def test_a_reference_in_a_far_paragraph_cites_nothing() -> None:
    # Named after the opening paragraph, the railway is not the article's topic.
    far = "\n\n".join(
        ["Prices fell.", "The Rasht-Astara railway was approved."] + ["Prices rose."] * 6
    )
    text = far + "\n\nThe line will open in 2028."
    assert "rasht-astara" not in {
        c.feature_id for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"
    }


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Novorossiysk", "Novorossiisk"),
        ("Zangezur", "Zengezur"),
        ("Rasht", "Resht"),
        ("Naxçıvan", "Nakhchivan"),
        ("Türkgözü", "Turkgozu"),
    ],
)
def test_spellings_fold_to_one_key(a: str, b: str) -> None:
    assert word_key(a) == word_key(b)


def test_long_names_meet_without_their_vowels_short_ones_do_not() -> None:
    assert skeleton(word_key("Nakhichevan")) == skeleton(word_key("Nakhchivan"))
    assert skeleton(word_key("Baku")) == ""


def test_soft_hyphens_and_zero_width_spaces_do_not_break_a_name() -> None:
    text = "The Zan\u00adgezur corridor and TA\u200bNAP."
    found = {(m.feature_id, text[m.start : m.end]) for m in find_mentions(text, GAZETTEER)}
    assert ("zangezur-corridor", "Zan\u00adgezur corridor") in found
    assert ("tanap", "TA\u200bNAP") in found


def test_decomposed_unicode_matches_composed() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Trains will run to Naxçıvan.")
    [m] = [m for m in find_mentions(text, GAZETTEER) if m.feature_id == "nakhchivan"]
    assert unicodedata.normalize("NFC", text[m.start : m.end]) == "Naxçıvan"


def test_tokens_keep_offsets_into_the_original() -> None:
    text = "Zan\u00adgezur and Baku"
    assert [text[t.start : t.end] for t in tokens(text)] == ["Zan\u00adgezur", "and", "Baku"]


@pytest.mark.parametrize(
    ("text", "article_date", "must", "must_not"),
    [
        # A dated or placed noun phrase still refers back: "the February 2022 visit".
        (
            "Aliyev flew to Moscow for talks in February 2022. The February 2022 visit was short.",
            "2022-02-23",
            2,
            set(),
        ),
        # A meeting is told by either side.
        ("Dunford met him in Baku, the Pentagon said.", "2017-02-16", 1, set()),
    ],
)
def test_more_ways_to_tell_a_visit(
    text: str, article_date: str, must: int, must_not: set[str]
) -> None:
    citations = cite_article("t.txt", text, GAZETTEER, article_date)
    visits = [c for c in citations if GAZETTEER.entries[c.feature_id].kind == "visit"]
    assert len(visits) == must, [(c.feature_id, c.how) for c in visits]


def test_a_visit_referred_back_to_elsewhere_is_not_it() -> None:
    text = (
        "Shoigu held talks in Baku on Tuesday. "
        "In Pyongyang, by contrast, his talks with Kim Jong Un were about troops."
    )
    refs = [c for c in cite_article("t.txt", text, GAZETTEER, "2024-08-07") if c.how == "reference"]
    assert refs == []


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("TAP starts at Kipoi. Its shareholders are BP, SOCAR and Snam.", True),
        # Not when the feature was no subject of the sentence before.
        ("Officials in Athens said on Monday that gas flows through TAP. It is windy.", False),
        # Not across a sentence in between.
        ("TAP starts at Kipoi. Prices rose. It is windy.", False),
    ],
)
def test_it_opening_a_sentence_is_the_subject_before(text: str, cited: bool) -> None:
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert (len(refs) == 1 and refs[0].feature_id == "tap") is cited, refs


def test_a_visit_stays_the_topic_until_another_is_named() -> None:
    paragraphs = [
        "Vladimir Putin arrived in Baku on Sunday for a state visit.",
        "Trade has grown.",
        "Gas prices fell.",
        "Analysts expect more.",
        "Banks are cautious.",
        "Gazprom and SOCAR signed a memorandum during the visit.",
    ]
    text = "\n\n".join(paragraphs)
    cited = cite_article("t.txt", text, GAZETTEER, "2024-08-19")
    late = [c for c in cited if c.feature_id == "putin-baku-2024" and c.how == "reference"]
    assert [text[c.start : c.end] for c in late] == [paragraphs[-1]]


def test_the_visit_of_someone_else_is_theirs() -> None:
    text = (
        "Vladimir Putin arrived in Baku on 18 August. "
        "Issues were discussed during the visits of Sergei Shoigu to Tehran and Baku in August."
    )
    cited = {(c.feature_id, c.how) for c in cite_article("t.txt", text, GAZETTEER, "2024-08-19")}
    assert ("shoigu-baku-2024", "event") in cited
    assert ("putin-baku-2024", "reference") not in cited


@pytest.mark.parametrize(
    ("text", "article_date", "cited"),
    [
        (
            "Putin arrived in Baku on Sunday. Aliyev hosted a dinner for his guest.",
            "2024-08-19",
            True,
        ),
        # The guest of a meeting set elsewhere is not the Baku visit.
        (
            "Putin met Aliyev in Dushanbe on Thursday. Later Aliyev hosted a dinner for his guest.",
            "2025-10-10",
            False,
        ),
    ],
)
def test_the_guest_is_the_visitor_of_the_scene(text: str, article_date: str, cited: bool) -> None:
    found = {c.feature_id for c in cite_article("t.txt", text, GAZETTEER, article_date)}
    assert ("putin-baku-2024" in found) is cited


@pytest.mark.parametrize(
    "text",
    [
        # "of" says whose the noun is: not the pipeline named before.
        "The Baku-Novorossiysk pipeline is old. The line of the report is long.",
        # A rival pipeline named in between takes "the pipeline".
        "The Baku-Novorossiysk pipeline is old. The Baku-Tbilisi-Ceyhan pipeline is newer. "
        "The pipeline runs through Georgia.",
        # "the original pipe" refers back, but only to what was named.
        "Prices rose. The original pipe was Soviet.",
    ],
)
def test_references_that_are_not_the_feature_before(text: str) -> None:
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert refs == [], [(c.feature_id, text[c.start : c.end]) for c in refs]


def test_a_rival_field_takes_the_field() -> None:
    # The Umid field, named in between, is "the field" that follows: not Shah Deniz.
    text = "Shah Deniz output rose. The Umid field is smaller.\n\nThe field is old."
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert refs == [], [(c.feature_id, text[c.start : c.end]) for c in refs]


def test_the_original_pipe_refers_back() -> None:
    text = "The Baku-Novorossiysk pipeline is old. The original pipe was Soviet."
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert [(c.feature_id, text[c.start : c.end]) for c in refs] == [
        ("baku-novorossiysk", "The original pipe was Soviet.")
    ]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # A reference modifier that is also a reference noun is the noun where its phrase
        # ends: before an auxiliary, a conjunction or punctuation.
        ("The Zangezur corridor was agreed. The road would stay Armenian.", True),
        ("The Zangezur corridor was agreed. Armenia keeps the road and the railway.", True),
        ("The Zangezur corridor was agreed. Nobody knows where the railway, if built, goes.", True),
        # Not when a noun goes on after it.
        ("The Zangezur corridor was agreed. The road map is vague.", False),
        ("The Zangezur corridor was agreed. The railway station is shut.", False),
        # Not a name of another feature: "the Araz corridor" is no "the corridor".
        ("The Zangezur corridor was agreed. Trucks may take the Araz corridor instead.", False),
        # Not in apposition to a thing named just before.
        (
            "The Zangezur corridor was agreed. The Lachin corridor, the road to Karabakh, is shut.",
            False,
        ),
    ],
)
def test_a_modifier_noun_refers_back_where_its_phrase_ends(text: str, cited: bool) -> None:
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert any(c.feature_id == "zangezur-corridor" for c in refs) is cited, [
        (c.feature_id, text[c.start : c.end]) for c in refs
    ]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # Of names that start together, the longest is the subject "It" stands for.
        ("The Zangazur corridor runs through Meghri. It is the shorter option.", True),
        # An opening noun stands for the feature the sentence names later with it.
        (
            "The 1,330-km pipeline, which SOCAR calls the Northern Route, ends at Novorossiysk. "
            "Its Russian section avoids Chechnya.",
            True,
        ),
        # Not when the opening noun is no noun of the feature named later.
        (
            "The ceremony, which SOCAR held for the Northern Route, was short. Its guests left.",
            False,
        ),
    ],
)
def test_it_stands_for_the_subject_of_the_sentence_before(text: str, cited: bool) -> None:
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    pronouns = [c for c in refs if text[c.start : c.start + 2] == "It"]
    assert bool(pronouns) is cited, [(c.feature_id, text[c.start : c.end]) for c in refs]
    assert all(c.feature_id != "zangezur-area" for c in refs)


@pytest.mark.parametrize(
    ("text", "article_date", "feature", "sentences"),
    [
        # A place named as an owner ("Russia's") or a nationality ("of the United States and
        # Russia") sets no scene: the article's opening is set in Baku.
        (
            "Petr Pavel met Russia's top general, Valery Gerasimov, in Baku on Thursday.\n\n"
            "Pavel and Gerasimov discussed the Zapad exercise.",
            "2017-09-08",
            "gerasimov-pavel-2017",
            2,
        ),
        (
            "The top officers of the United States and Russia met in Baku on Thursday.\n\n"
            "Dunford and Gerasimov discussed Syria.",
            "2017-02-17",
            "gerasimov-dunford-2017",
            1,
        ),
        # A place after "in" still sets the scene elsewhere.
        (
            "In Helsinki, Russia's general staff said talks went well.\n\n"
            "Dunford and Gerasimov discussed Syria.",
            "2017-02-17",
            "gerasimov-dunford-2017",
            0,
        ),
        # The year of a clause opened by "since" is a boundary, not the visit's date.
        (
            "Scaparrotti met Gerasimov in Baku, their first meeting since Scaparrotti took "
            "command in 2016.",
            "2018-04-19",
            "gerasimov-scaparrotti-2018",
            1,
        ),
        (
            "Scaparrotti met Gerasimov in Baku in 2016.",
            "2018-04-19",
            "gerasimov-scaparrotti-2018",
            0,
        ),
        (
            "Since then, Scaparrotti met Gerasimov in Baku in 2016.",
            "2018-04-19",
            "gerasimov-scaparrotti-2018",
            0,
        ),
        # "fly" is a word of visiting, and the way home is no other destination.
        (
            "Aliyev held talks in the Kremlin on Tuesday. He was due to fly home at night.\n\n"
            "The Azerbaijani leader was due to fly back to Baku in the evening.",
            "2022-02-22",
            "aliyev-moscow-2022",
            2,
        ),
        ("Aliyev will fly to Beijing next week.", "2022-02-22", "aliyev-moscow-2022", 0),
        # A meeting told by whom the visitor met and its month and year, in a scene set at
        # its place, needs no word of visiting.
        (
            "Baku has hosted Gerasimov's talks with Western generals. In April 2018 it was "
            "the turn of Curtis Scaparrotti.",
            "2022-01-10",
            "gerasimov-scaparrotti-2018",
            1,
        ),
        # Not in another year, nor in a scene set elsewhere, nor with no month.
        (
            "Baku has hosted Gerasimov's talks. In April 2019 it was the turn of Scaparrotti.",
            "2022-01-10",
            "gerasimov-scaparrotti-2018",
            0,
        ),
        (
            "In Helsinki, officials recalled the talks. In April 2018 Scaparrotti was busy.",
            "2022-01-10",
            "gerasimov-scaparrotti-2018",
            0,
        ),
        (
            "Baku has hosted Gerasimov's talks. In 2018 Scaparrotti took a new post.",
            "2022-01-10",
            "gerasimov-scaparrotti-2018",
            0,
        ),
    ],
)
def test_where_and_when_a_visit_is_told(
    text: str, article_date: str, feature: str, sentences: int
) -> None:
    found = [c for c in cite_article("t.txt", text, GAZETTEER, article_date)]
    events = [c for c in found if c.feature_id == feature and c.how == "event"]
    assert len(events) == sentences, [(c.feature_id, text[c.start : c.end]) for c in found]


@pytest.mark.parametrize(
    ("text", "feature", "cited"),
    [
        # A route's noun, a passing word and a place only that route passes name it.
        ("Talks on a road through Armenia's Syunik province stalled.", "zangezur-corridor", True),
        ("They agreed a transit route across southern Armenia.", "zangezur-corridor", True),
        ("The railway running through Meghri is Soviet.", "zangezur-corridor", True),
        (
            "A corridor through Armenian territory to Nakhchivan is planned.",
            "zangezur-corridor",
            True,
        ),
        ("Baku wants a road link to Nakhchivan through Iranian territory.", "aras-corridor", True),
        # Iran is crossed by other routes too: without one of the route's own places, no.
        ("Moscow wants a rail link through Iranian territory.", "aras-corridor", False),
        ("Work began with a bridge at Kalaleh.", "aras-corridor", True),
        # Not a place with no route's noun before it.
        ("Officials met at Kalaleh.", "aras-corridor", False),
        # Not another thing's route through the same place.
        ("The INSTC rail line through Iranian territory is busy.", "aras-corridor", False),
        ("The North-South road through Syunik needs repair.", "zangezur-corridor", False),
        # Not a route that goes on to a place that is neither its end nor the map's.
        ("A new road through Syunik to Kapan opened.", "zangezur-corridor", False),
        ("The road through Syunik to the Iranian border is steep.", "zangezur-corridor", False),
        # Not Azerbaijan's East Zangezur, nor a flow with no route's noun.
        ("Baku built new roads through East Zangezur.", "zangezur-corridor", False),
        ("Gas flows through Armenian territory.", "zangezur-corridor", False),
        # The noun may stand before a linking clause that goes on to the place.
        (
            "They opened a transit route that will link Azerbaijan with Nakhchivan through "
            "Iranian territory.",
            "aras-corridor",
            True,
        ),
        # Not across punctuation, nor without the linking clause.
        (
            "They opened a new route, and Azerbaijan trades with Nakhchivan through Iranian "
            "territory.",
            "aras-corridor",
            False,
        ),
        (
            "The route was busy as goods went to Nakhchivan through Iranian territory.",
            "aras-corridor",
            False,
        ),
        # Pipelines too: the places only one of the map's pipelines passes.
        ("Oil reaches the sea via a pipeline through Dagestan.", "baku-novorossiysk", True),
        ("Protests delayed the pipeline across the Adriatic.", "tap", True),
        ("The gas line across Anatolia was finished in 2018.", "tanap", True),
        # The river beside Iran: "a road through Iran along the Araz" is the Aras road; the
        # river alone, or Iran with neither river nor end, is not.
        ("He said a road through Iran along the Araz was being built.", "aras-corridor", True),
        ("The Aras forms the border with Iran for 130 kilometres.", "aras-corridor", False),
        ("A railway through Iran carries Russian grain south.", "aras-corridor", False),
        # "over" and "along" pass a place too, with the same context.
        ("The bridge over the Aras at Aghband is finished.", "aras-corridor", True),
        ("The old bridge over the Aras at Julfa was rebuilt.", "aras-corridor", False),
        ("A pipeline along the Adriatic coast was laid.", "tap", True),
        ("Sovereignty over Syunik is not in question.", "zangezur-corridor", False),
        # Another head noun: the strip of Armenian land the corridor crosses.
        ("The 43-km strip through Syunik needs an operator.", "zangezur-corridor", True),
        ("A strip of farmland lies south of Goris.", "zangezur-corridor", False),
        # Not a power line, nor the place with no pipeline's noun before it.
        ("Albania's power grid runs through the Adriatic coast.", "tap", False),
        ("Floods hit Dagestan in spring.", "baku-novorossiysk", False),
    ],
)
def test_a_route_is_told_by_a_place_only_it_passes(text: str, feature: str, cited: bool) -> None:
    assert (feature in {m.feature_id for m in find_mentions(text, GAZETTEER)}) is cited


@pytest.mark.parametrize(
    ("text", "article_date", "must", "must_not"),
    [
        # A visitor or place named inside another visit's longer phrase is not named:
        # "Aliyev" in the airport's name, "Kremlin" in "the Kremlin chief".
        (
            "The Kremlin chief was met at Heydar Aliyev International Airport.",
            "2024-08-18",
            {"putin-baku-2024"},
            {"aliyev-moscow-2022"},
        ),
        # A visit's own longer phrase is still its own: "Ilham Aliyev" is Aliyev.
        (
            "Ilham Aliyev arrived in the Kremlin on Monday.",
            "2022-02-21",
            {"aliyev-moscow-2022"},
            set(),
        ),
    ],
)
def test_a_name_inside_another_visits_phrase_is_not_named(
    text: str, article_date: str, must: set[str], must_not: set[str]
) -> None:
    found = cited(text, article_date)
    assert must <= found and not (must_not & found), found


def references(text: str) -> set[str]:
    return {c.feature_id for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"}


@pytest.mark.parametrize(
    ("text", "feature", "cited"),
    [
        # A place's own nouns refer back to it: "the town", "the exclave's".
        ("Officials toured Shusha on Monday. A museum will open in the town.", "shusha", True),
        ("Trucks reach Nakhchivan by road. The exclave's airport is busy.", "nakhchivan", True),
        ("Engineers gathered in Tehran. The city hosts the ministry.", "tehran", True),
        # Another place named beside it may be the one meant: "Goris" is no feature.
        ("Refugees from Shusha settled in Goris. The town's school took them in.", "shusha", False),
        # A place the sentence names by that noun is its own: "the city as Shushi".
        ("The forum met in Baku. Armenians know the city as Shushi.", "baku", False),
        # "capital" takes a country's name ("the Azerbaijani capital"), so it refers to nothing.
        ("The envoys met in Moscow. Later they flew to the Georgian capital.", "moscow", False),
    ],
)
def test_a_place_is_referred_back_to_by_its_nouns(text: str, feature: str, cited: bool) -> None:
    assert (feature in references(text)) is cited


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # A route's end told where it is ("on the border") is named as a place too.
        ("The track will run from Resht to Astara on the border with Azerbaijan.", True),
        ("Crude goes from Baku to Novorossiysk on the Black Sea.", True),
        # A bare end is only the route's; "in Iran" says whose the route is.
        ("The track will run from Resht to Astara.", False),
        ("A railway between Rasht and Astara in Iran is missing.", False),
        ("The line from Rasht to Astara at the end of 2025 is due.", False),
    ],
)
def test_a_route_end_told_where_it_is_is_a_place(text: str, cited: bool) -> None:
    places = {c.feature_id for c in cite_article("t.txt", text, GAZETTEER) if c.how == "name"}
    assert bool(places & {"astara", "novorossiysk"}) is cited, places


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # A one-word place in the plural, counted: the Azerbaijani and the Iranian town.
        ("A bridge links the two Astaras.", True),
        ("He toured both Astaras.", True),
        # Not the plural alone, nor a word that only starts like it.
        ("The Astaras of the world are few.", False),
        ("Two Astarachay bridges were built.", False),
    ],
)
def test_a_counted_plural_of_a_place_is_the_place(text: str, found: bool) -> None:
    assert ("astara" in cited(text, "")) is found


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        # A place after "in" right after people who watch the visit says where they are,
        # not where the visit is.
        ("Analysts in Baku noted that the guest had kept to his schedule.", True),
        ("Officials in Baku said the Azerbaijani leader had signed it.", True),
        # A sentence set in the place is still set there.
        ("In Baku, the guest was said to have kept to his schedule.", False),
    ],
)
def test_observers_somewhere_do_not_move_the_visit(later: str, cited: bool) -> None:
    text = f"Aliyev arrived in Moscow on an official visit on Monday. {later}"
    found = cite_article("t.txt", text, GAZETTEER, "2022-02-22")
    sentences = {text[c.start : c.end] for c in found if c.feature_id == "aliyev-moscow-2022"}
    assert (later in sentences) is cited, sentences


def test_a_town_presented_as_its_province_is_the_province() -> None:
    # Kapan cites Syunik only as its provincial centre; "its mayor" after it is the town's.
    text = "Kapan, the provincial centre, is calm. Its mayor hopes for work."
    found = cite_article("t.txt", text, GAZETTEER)
    assert [text[c.start : c.end] for c in found if c.feature_id == "zangezur-area"] == [
        "Kapan, the provincial centre, is calm."
    ]
    assert "zangezur-area" not in cited("Families moved to Kapan last year.", "")


@pytest.mark.parametrize(
    ("opening", "cited"),
    [
        # TAP's own noun: of the map's pipelines only it comes ashore from the sea, so "the
        # landfall" paragraphs later in an article about it is still its.
        ("TAP began pumping gas to Italy in 2020.", True),
        # Not in an article about another pipeline.
        ("TANAP began pumping gas to Turkey in 2018.", False),
    ],
)
def test_the_landfall_is_taps(opening: str, cited: bool) -> None:
    text = f"{opening}\n\nRegulators were pleased. Protests over the landfall have died down."
    assert ("tap" in references(text)) is cited


def test_a_line_opening_a_sentence_is_the_route_named_later_in_it() -> None:
    # The subject refers back even where the sentence names it again after another:
    # "the pipe" next is TAP's, not TANAP's.
    text = (
        "TAP began commercial operations on Thursday. The 878-km line starts at Kipoi, where "
        "it connects with TANAP, and runs to landfall at San Foca. The pipe can carry 10 bcm."
    )
    found = cite_article("t.txt", text, GAZETTEER)
    assert {c.feature_id for c in found if "The pipe" in text[c.start : c.end]} == {"tap"}


@pytest.mark.parametrize(
    ("text", "feature", "cited"),
    [
        # "there" alone is the one place the sentence before named, in its paragraph.
        ("Baku hosted the talks. Dunford met Gerasimov there in 2017.", "baku", True),
        ("Trains reach Iranian Astara. But trains stop there: no track goes on.", "astara", True),
        # Traps: "there" of being, a far paragraph, two places, or another place between.
        ("Baku hosted the talks. There is no doubt they mattered.", "baku", False),
        ("Baku hosted the talks. Is there a plan for more?", "baku", False),
        ("Baku hosted the talks.\n\nDunford met Gerasimov there.", "baku", False),
        ("He flew from Moscow to Baku. He met Aliyev there.", "baku", False),
        ("He left Baku. He flew on to Antalya. He met Erdogan there.", "baku", False),
        ("He met Aliyev in Baku and in Ankara. He signed a deal there.", "baku", False),
    ],
)
def test_there_refers_back_to_the_one_place_named_before(
    text: str, feature: str, cited: bool
) -> None:
    assert (feature in references(text)) is cited


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # "it" may be the subject after an opening phrase of place or time, and the
        # subject before may follow one set off by a comma.
        ("At Kipoi, by the border, TAP takes the gas. Near Komotini it turns west.", True),
        ("TAP starts at Kipoi. In 2021 its flows rose.", True),
        # Not past a phrase that is more than a name or a year: "it" is no subject there.
        ("TAP starts at Kipoi. In the view of traders it is costly.", False),
        # Not when another route opens the sentence before the pronoun.
        ("TAP starts at Kipoi. After TANAP it was the next link.", False),
        # Not when the sentence before opened with no route after its comma.
        ("At Kipoi, officials said gas flows through TAP. Near Komotini it rains.", False),
    ],
)
def test_it_after_an_opening_phrase_is_the_subject_before(text: str, cited: bool) -> None:
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    pronouns = [c for c in refs if any(text[a:b].lower() in ("it", "its") for a, b in c.highlights)]
    assert (any(c.feature_id == "tap" for c in pronouns)) is cited, refs


@pytest.mark.parametrize(
    ("text", "article_date", "cited"),
    [
        # The visitor named again, telling what was said at the visit.
        (
            "Shoigu held talks in Baku on Tuesday. Shoigu told reporters the corridor was "
            "among the topics.",
            "2024-08-06",
            True,
        ),
        # The two sides of the meeting just told.
        (
            "Shoigu held talks in Baku on Tuesday. The two discussed regional security.",
            "2024-08-06",
            True,
        ),
        # Not what the visitor wants or is: no verb tells what was done.
        (
            "Shoigu held talks in Baku on Tuesday. Shoigu seeks a bigger role for Moscow.",
            "2024-08-06",
            False,
        ),
        # Not "the two" of something a feature is.
        (
            "Shoigu held talks in Baku on Tuesday. The two pipelines carried less oil.",
            "2024-08-06",
            False,
        ),
        # Not in a sentence set elsewhere, or in another year.
        (
            "Shoigu held talks in Baku on Tuesday. Shoigu said in Minsk that trade grew.",
            "2024-08-06",
            False,
        ),
        (
            "Shoigu held talks in Baku on Tuesday. In 2019 Shoigu said trade had grown.",
            "2024-08-06",
            False,
        ),
        # Not two paragraphs later.
        (
            "Shoigu held talks in Baku on Tuesday.\n\nPrices rose.\n\nShoigu said trade grew.",
            "2024-08-06",
            False,
        ),
    ],
)
def test_a_visitor_named_again_refers_back_to_the_visit(
    text: str, article_date: str, cited: bool
) -> None:
    cites = cite_article("t.txt", text, GAZETTEER, article_date)
    again = [c for c in cites if c.feature_id == "shoigu-baku-2024" and c.start > text.index(".")]
    assert bool(again) is cited, [(c.feature_id, text[c.start : c.end]) for c in cites]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # A people's word before the noun describes the line; it does not name another.
        ("The Zangezur corridor would run along the Arax. The old Soviet line is closed.", True),
        # A name of its own still takes the noun: the Middle Corridor rivals the corridor.
        ("The Zangezur corridor would run along the Arax. The Middle Corridor is longer.", False),
    ],
)
def test_a_demonym_describes_a_line_it_does_not_name_one(text: str, cited: bool) -> None:
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert any(c.feature_id == "zangezur-corridor" for c in refs) is cited, refs


def test_a_month_after_in_is_no_rival_place() -> None:
    # "In February 2017" puts the meeting in time, not in a place that could be "the city".
    text = (
        "In February 2017 Gerasimov met Dunford in the Azerbaijani capital. Later he "
        "received Pavel in the same city."
    )
    assert "baku" in references(text)


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # The route an article opens with is still "the pipeline" paragraphs later.
        ("TAP started in 2020.\n\nPrices rose.\n\nTraders sold.\n\nThe pipeline is full.", True),
        # Not when the opening names two routes: which one is the topic?
        (
            "TAP and TANAP started.\n\nPrices rose.\n\nTraders sold.\n\nThe pipeline is full.",
            False,
        ),
        # Not when another pipeline takes the noun in between.
        (
            "TAP started in 2020.\n\nThe BTC pipeline is older.\n\nTraders sold.\n\n"
            "The pipeline is full.",
            False,
        ),
        # Each noun has its topic: the opening's one route that takes it.
        (
            "TAP and the Rasht-Astara railway were discussed.\n\nPrices rose.\n\n"
            "Traders sold.\n\nThe pipeline is full.",
            True,
        ),
        # Not by a noun that may be anything: "the project".
        ("TAP started in 2020.\n\nPrices rose.\n\nTraders sold.\n\nThe project is late.", False),
    ],
)
def test_the_route_an_article_opens_with_stays_its_topic(text: str, cited: bool) -> None:
    last = text.rindex("\n\n")
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.start > last]
    assert any(c.feature_id == "tap" for c in refs) is cited, refs


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        # The host receiving the visitor, just after the visit is told.
        ("Later Aliyev hosted him for dinner.", True),
        # Not the host alone, nor "host" as a verb.
        ("Aliyev seeks a balance with Turkey.", False),
        ("Russia has offered to host a signing ceremony.", False),
        # Not a visit of the host's own elsewhere.
        ("Aliyev last visited Moscow in April for talks.", False),
    ],
)
def test_the_host_named_again_refers_back_to_the_visit(later: str, cited: bool) -> None:
    text = f"Putin arrived in Baku on Sunday. {later}"
    cites = cite_article("t.txt", text, GAZETTEER, "2024-08-19")
    again = [c for c in cites if c.feature_id == "putin-baku-2024" and c.start > text.index(".")]
    assert bool(again) is cited, [(c.feature_id, text[c.start : c.end]) for c in cites]


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        # The visitor in the visit's place, paragraphs after it was told.
        ("Putin laid flowers in the Alley of Honour.", True),
        # Not in another place, nor in another year.
        ("Putin laid flowers in Minsk.", False),
        ("In 2018 Putin laid flowers in the Alley of Honour.", False),
    ],
)
def test_the_visitor_in_the_visits_place_is_the_visit(later: str, cited: bool) -> None:
    text = f"Putin arrived in Baku on Sunday.\n\nPrices rose.\n\nTrade grew.\n\n{later}"
    last = text.rindex("\n\n")
    cites = cite_article("t.txt", text, GAZETTEER, "2024-08-19")
    again = [c for c in cites if c.feature_id == "putin-baku-2024" and c.start > last]
    assert bool(again) is cited, [(c.feature_id, text[c.start : c.end]) for c in cites]


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        # What the route has or undergoes, right after it was told.
        (" Construction is expected to take four years.", True),
        (" Its capacity will double.", True),
        # Not another thing's, nor the market's, nor in the next paragraph.
        (" Construction of the Kars-Gyumri road began.", False),
        (" Gas prices rose.", False),
        # The sentence right before may close the paragraph before (news paragraphs are
        # often one sentence), but not two paragraphs back.
        ("\n\nConstruction is expected to take four years.", True),
        ("\n\nPrices rose.\n\nConstruction is expected to take four years.", False),
    ],
)
def test_what_a_route_undergoes_right_after_it_is_told(later: str, cited: bool) -> None:
    text = f"Russia will lend Iran money for the Rasht-Astara railway.{later}"
    first = text.index(".")
    cites = cite_article("t.txt", text, GAZETTEER)
    after = [c for c in cites if c.feature_id == "rasht-astara" and c.start > first]
    assert bool(after) is cited, [(c.feature_id, text[c.start : c.end]) for c in cites]


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        # A plural noun opening the sentence is every route the sentence before named.
        ("The pipelines were full.", {"tanap", "south-caucasus-pipeline"}),
        # Not when the sentence names one of them itself.
        ("The pipelines, TANAP above all, were full.", set()),
        # The singular is the one named first, the subject.
        ("The pipeline was full.", {"tanap"}),
    ],
)
def test_a_plural_refers_to_every_route_named_before(later: str, cited: set[str]) -> None:
    text = f"Upstream, TANAP across Turkey and the South Caucasus Pipeline would grow. {later}"
    first = text.index(". ")
    refs = {
        c.feature_id
        for c in cite_article("t.txt", text, GAZETTEER)
        if c.how == "reference" and c.start > first
    }
    assert refs == cited


def test_a_bridging_noun_may_follow_an_article_and_a_modifier() -> None:
    text = "TAP will double its capacity. A first phase came online in January."
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert [text[c.start : c.end] for c in refs if c.feature_id == "tap"] == [
        "A first phase came online in January."
    ]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # Written small, the name cites beside its oil.
        ("SOCAR may send 1.5 million tonnes a year along the northern route.", True),
        ("The Northern Route carried less.", True),
        # Not a direction: the exact-case name does not lend the small one its context.
        ("Trade on the northern route via Kazakhstan grew.", False),
        # Russia's pipeline company beside Azerbaijan's is the transit of its oil.
        ("SOCAR and Transneft renew their transit terms every year.", True),
        ("Transneft raised its tariffs for Kazakh oil.", False),
    ],
)
def test_a_name_in_its_own_case_or_with_its_context(text: str, cited: bool) -> None:
    found = {m.feature_id for m in find_mentions(text, GAZETTEER)}
    assert ("baku-novorossiysk" in found) is cited


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # Several visits are none of them in particular.
        ("As defence minister, Shoigu made several trips to Baku for talks.", False),
        # One trip with two stops is the visit.
        ("Issues were discussed during the visits of Shoigu to Tehran and Baku in August.", True),
    ],
)
def test_several_visits_are_none_in_particular(text: str, cited: bool) -> None:
    found = {c.feature_id for c in cite_article("t.txt", text, GAZETTEER, "2024-08-10")}
    assert ("shoigu-baku-2024" in found) is cited


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("The line will open in 2028.", True),
        # A line to a place that is neither its end nor the map's is another line.
        ("The line to the Russian border at Yalama was modernised.", False),
    ],
)
def test_a_reference_that_heads_elsewhere_is_another_route(later: str, cited: bool) -> None:
    text = f"Iran will build the Rasht-Astara railway. {later}"
    refs = [c for c in cite_article("t.txt", text, GAZETTEER) if c.how == "reference"]
    assert any(c.feature_id == "rasht-astara" for c in refs) is cited, refs


LEDE = "Vladimir Putin arrived in Baku on Sunday for a two-day state visit."
OTHER_VISIT = "Ten days earlier, Security Council secretary Sergei Shoigu had visited Baku."


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        # A new paragraph's "the visit" is the article's visit, not the one in passing.
        ([LEDE, OTHER_VISIT, "The visit also closed a circle."], "putin-baku-2024"),
        # Trap: within the paragraph that named the other visit, it is still that one.
        ([LEDE, f"{OTHER_VISIT} The visit lasted a day."], "shoigu-baku-2024"),
        # Trap: a sentence naming the other visitor means his visit.
        (
            [LEDE, OTHER_VISIT, "Shoigu said security was covered during his visit."],
            "shoigu-baku-2024",
        ),
        # Trap: with no visit in the opening paragraph, no article's visit to return to.
        (["Trade grew.", OTHER_VISIT, "The visit also closed a circle."], "shoigu-baku-2024"),
    ],
    ids=["new-paragraph", "same-paragraph", "visitor-named", "no-lede-visit"],
)
def test_a_new_paragraph_returns_to_the_articles_visit(
    paragraphs: list[str], expected: str
) -> None:
    text = "\n\n".join(paragraphs)
    last = text.rindex(paragraphs[-1].split(". ")[-1])
    cited = cite_article("t.txt", text, GAZETTEER, "2024-08-19")
    visits = {c.feature_id for c in cited if c.start >= last and c.feature_id.endswith("-2024")}
    assert visits == {expected}


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("Scaparrotti told reporters the talks were useful.", True),
        # Traps: what he has long said, and what is expected, are no event of the visit.
        ("Scaparrotti has warned Congress about Russian forces.", False),
        ("Scaparrotti is expected in Brussels on Friday.", False),
    ],
)
def test_a_present_perfect_or_passive_is_no_event_of_the_visit(later: str, cited: bool) -> None:
    text = (
        "General Curtis Scaparrotti met Valery Gerasimov in Baku on Wednesday.\n\n"
        f"Trade was not discussed. {later}"
    )
    found = cited_from(text, "gerasimov-scaparrotti-2018", text.index(later), "2018-04-19")
    assert bool(found) is cited, found


MEETING = "General Curtis Scaparrotti met Valery Gerasimov in Baku on Wednesday."


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("The military leaders exchanged assessments of the situation in Europe.", True),
        ("Both delegations described the talks as frank.", True),
        ("The two presidents had already spent the evening together.", True),
        # Traps: a name between the opener and the noun; a route's noun after "the two".
        ("The Russian leaders exchanged views in Moscow later.", False),
        ("The two pipelines carried more gas.", False),
    ],
)
def test_the_sides_of_a_meeting_by_a_noun(later: str, cited: bool) -> None:
    text = f"{MEETING}\n\n{later}"
    found = cited_from(text, "gerasimov-scaparrotti-2018", text.index(later), "2018-04-19")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("Particular attention was paid to the Balkans.", True),
        # Traps: what is or will be; another year; another visit told; a new paragraph.
        ("This agreement is being implemented.", False),
        ("In 2015 the two armies held exercises together.", False),
        ("Pavel had travelled to Ankara the week before.", False),
        ("\n\nParticular attention was paid to the Balkans.", False),
    ],
    ids=["goes-on", "present", "another-year", "another-visit", "new-paragraph"],
)
def test_the_sentence_after_a_visit_goes_on_telling_it(later: str, cited: bool) -> None:
    text = f"{MEETING} {later}"
    start = text.index(later.strip())
    found = cited_from(text, "gerasimov-scaparrotti-2018", start, "2018-04-19")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("According to the Pentagon, the generals discussed Syria.", True),
        ("Syria was raised, though the two sides said little in public.", True),
        ("Neither delegation answered questions from journalists.", True),
        # Traps: whose sides or leaders they are.
        ("Residents, on both sides of the border, cheered.", False),
        ("Afterwards, the leaders of Turkic states gathered in Shusha.", False),
    ],
)
def test_the_sides_of_a_meeting_open_a_clause(later: str, cited: bool) -> None:
    text = f"{MEETING}\n\n{later}"
    found = cited_from(text, "gerasimov-scaparrotti-2018", text.index(later), "2018-04-19")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("paragraphs", "cited"),
    [
        # "by" past a comma says nothing of whose visit it is.
        ([LEDE, "This visit, by contrast, is a state visit."], True),
        # Trap: "by" right after the noun does.
        ([LEDE, "The visit by Lavrov was shorter."], False),
        # Trap: a visit of another year, told with no name, is the rival of "the trip".
        ([LEDE, "In August 2013 he arrived with ministers. The trip was overshadowed."], False),
        # Trap: the visitor again, at a month and year outside the visit's.
        ([LEDE, "Putin admitted the error in December 2024."], False),
        ([LEDE, "Putin laid flowers in August 2024."], True),
    ],
    ids=["by-after-comma", "by-owner", "another-years-trip", "another-month", "its-month"],
)
def test_which_visit_the_last_sentence_tells(paragraphs: list[str], cited: bool) -> None:
    text = "\n\n".join(paragraphs)
    last = text.rindex(paragraphs[-1].split(". ")[-1])
    found = cited_from(text, "putin-baku-2024", last, "2024-08-19")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("Azerbaijan is building a road through Iran to Nakhchivan.", True),
        ("Baku signed links between the mainland and Nakhichevan through Iranian territory.", True),
        # Traps: Iran without a place of the route's own is any of several routes.
        ("Russia sends grain by a railway through Iran to the Gulf.", False),
        ("The North-South railway through Iran is slow, officials in Nakhchivan said.", False),
    ],
)
def test_a_place_that_names_a_route_only_beside_its_own(text: str, cited: bool) -> None:
    assert ("aras-corridor" in cited_features(text)) is cited


def cited_features(text: str) -> set[str]:
    return {c.feature_id for c in cite_article("t.txt", text, GAZETTEER, "2025-01-01")}


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("At the Turkish border it hands the gas over.", True),
        ("In 2022, its flows rose.", True),
        # Trap: past a longer opening, "it" is no subject of the sentence.
        ("At the end of a long and bitter dispute it was agreed to wait.", False),
    ],
)
def test_it_after_an_opening_phrase_with_the(later: str, cited: bool) -> None:
    text = f"The South Caucasus Pipeline starts at Sangachal. {later}"
    found = cited_from(text, "south-caucasus-pipeline", text.index(later), "2025-01-01")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("text", "feature", "cited"),
    [
        ("The Adriatic pipeline lands at San Foca.", "tap", True),
        ("Local papers confused the Adriatic line with TurkStream.", "tap", True),
        ("Officials promised the Syunik road would open.", "zangezur-corridor", True),
        # Traps: the place with no route's noun after it; a name before it.
        ("The Adriatic Sea was calm.", "tap", False),
        ("The Syunik governor promised a road.", "zangezur-corridor", False),
        ("The North Syunik road was closed by snow.", "zangezur-corridor", False),
    ],
)
def test_a_place_only_one_route_passes_names_it_before_its_noun(
    text: str, feature: str, cited: bool
) -> None:
    assert (feature in cited_features(text)) is cited


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("Transneft charges a tariff on the Russian stretch.", True),
        # Trap: the section of another thing.
        ("The Greek section of TAP was finished first.", False),
    ],
)
def test_a_section_of_the_route_named_before(later: str, cited: bool) -> None:
    text = f"The Baku–Novorossiysk pipeline carries Azerbaijani oil. {later}"
    found = cited_from(text, "baku-novorossiysk", text.index(later), "2025-01-01")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("Negotiations were then held in a narrow format.", True),
        # Traps: a singular noun with no determiner; talks set in another city.
        ("Trade was then discussed.", False),
        ("Talks on a peace treaty resumed in Washington.", False),
    ],
)
def test_a_visits_plural_noun_opens_a_sentence(later: str, cited: bool) -> None:
    text = f"{LEDE}\n\n{later}"
    found = cited_from(text, "putin-baku-2024", text.index(later), "2024-08-19")
    assert bool(found) is cited, found


SHOIGU = "Ilham Aliyev on 6 August received Security Council secretary Sergei Shoigu in Baku."


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        (f"{SHOIGU}\n\nThe Russian official arrived in the Azerbaijani capital from Tehran.", True),
        # Traps: any Russian official; an Iranian one; no visit told before.
        (f"{SHOIGU}\n\nA Russian official arrived in the Azerbaijani capital on Friday.", False),
        (f"{SHOIGU}\n\nThe Iranian official arrived in the Azerbaijani capital later.", False),
        ("Trade grew.\n\nThe Russian official arrived in the Azerbaijani capital.", False),
    ],
    ids=["described", "indefinite", "another-nation", "no-visit-before"],
)
def test_the_visitor_described_by_nation(text: str, cited: bool) -> None:
    later = text.split("\n\n")[-1]
    found = cited_from(text, "shoigu-baku-2024", text.index(later), "2024-08-06")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        # The visitor after "a visit by", past his titles.
        ("The Kremlin prepares a visit by President Vladimir Putin to Baku.", True),
        # Traps: the one met, past his titles and names.
        ("The two-day visit to Moscow will include talks with President Ilham Aliyev.", False),
    ],
)
def test_the_one_met_past_titles_is_no_visitor(text: str, cited: bool) -> None:
    found = {c.feature_id for c in cite_article("t.txt", text, GAZETTEER, "2024-08-10")}
    visitor = "putin-baku-2024" if "Putin" in text else "aliyev-moscow-2022"
    assert (visitor in found) is cited, found


@pytest.mark.parametrize(
    ("article_date", "cited"),
    [
        # Written before the visit: what is to come at it.
        ("2024-08-16", True),
        # Trap: written after it, the future is no account of the visit.
        ("2024-09-01", False),
    ],
)
def test_a_preview_tells_what_is_to_come_at_the_visit(article_date: str, cited: bool) -> None:
    later = "Officials say the two presidents will discuss trade."
    text = f"Vladimir Putin is expected to visit Baku on 18 August.\n\n{later}"
    found = cited_from(text, "putin-baku-2024", text.index(later), article_date)
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("The Russia–Iran–India corridor grew.", True),
        ("Trade on the corridor from Russia to India through Azerbaijan grew.", True),
        ("A corridor linking Russia with India via Iran is planned.", True),
        # Traps: another noun, another pair of ends.
        ("A railway from Russia to the Persian Gulf was discussed.", False),
        ("The Russia–Azerbaijan route is busy.", False),
    ],
)
def test_the_north_south_corridor_by_its_ends(text: str, cited: bool) -> None:
    assert ("instc" in cited_features(text)) is cited


@pytest.mark.parametrize(
    ("text", "feature", "cited"),
    [
        (
            "Putin met Aliyev at Zagulba. The seaside residence was closed to the press.",
            "zagulba-residence",
            True,
        ),
        ("Wreaths lie in the Alley of Honour. The alley opened in 1948.", "alley-of-honour", True),
        (
            "Ships load at the Sangachal terminal. The terminal handles gas too.",
            "sangachal-terminal",
            True,
        ),
        ("Erdogan said the Anatolian pipeline joined two nations.", "tanap", True),
        # Traps: the newer burial ground; Anatolia's other lines by name.
        ("A Second Alley of Honour receives public figures.", "alley-of-honour", False),
        ("The Anatolian Railways line was closed.", "tanap", False),
    ],
)
def test_places_described_by_their_own_nouns(text: str, feature: str, cited: bool) -> None:
    assert (feature in cited_features(text)) is cited


@pytest.mark.parametrize(
    ("later", "cited"),
    [
        ("Ilham Aliyev greeted his counterpart on the steps.", True),
        ("He laid a wreath at the grave of Heydar Aliyev.", True),
        # Traps: a word of visiting set in another place; an adjective in -ed.
        ("He had travelled to Ankara the week before.", False),
        ("Azerbaijan keeps its traditionally balanced approach.", False),
    ],
)
def test_what_the_sentence_after_a_visit_tells(later: str, cited: bool) -> None:
    text = f"Vladimir Putin arrived in Baku on Sunday for a state visit. {later}"
    found = cited_from(text, "putin-baku-2024", text.index(later), "2024-08-19")
    assert bool(found) is cited, found


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("Contractors are finishing a road bridge across the Aras to Kalaleh.", True),
        # Trap: other bridges cross the river.
        ("A rail bridge across the Aras joins Julfa and Jolfa.", False),
    ],
)
def test_the_river_names_the_aras_corridor_only_beside_its_ends(text: str, cited: bool) -> None:
    assert ("aras-corridor" in cited_features(text)) is cited


def cited_from(text: str, feature_id: str, start: int, article_date: str) -> list[object]:
    """The citations of feature_id in text from offset start on."""
    return [
        c
        for c in cite_article("t.txt", text, GAZETTEER, article_date)
        if c.feature_id == feature_id and c.start >= start
    ]
