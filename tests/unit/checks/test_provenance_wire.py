"""Provenance rules for wire conventions the first table left out, one short article each."""

from __future__ import annotations

import pytest

from bot.checks.provenance import ArticleQuotes, Provenance

D, R, V = Provenance.DIRECT, Provenance.REPORTED, Provenance.VIA
N, M = Provenance.NARRATION, Provenance.MISATTRIBUTED

# A pronoun after a narrative sentence refers to the person that sentence named, not to the
# last speaker; German indirect speech goes on in the subjunctive.
DE_PRONOUN = (
    "BERLIN (dpa) - Bundeskanzler Anton Weber hat der Ukraine neue Hilfe zugesagt. "
    "„Wir stehen an ihrer Seite“, sagte der CDU-Politiker.\n\n"
    "Das Paket umfasse vor allem Munition, sagte Weber. Die Regierung werde zudem weitere "
    "Systeme prüfen.\n\n"
    "Der ukrainische Präsident Petro Hordienko dankte Deutschland. „Jedes System rettet "
    "Leben“, sagte er.\n\n"
    "Kremlsprecher Iwan Morosow kritisierte die Zusage. Laut der Nachrichtenagentur Interfax "
    "sagte er, Berlin verlängere damit „nur das Leiden“."
)
# Russian: the reporter's incise inside the guillemets; a verb after a time phrase.
RU_INCISE = (
    "МОСКВА, 4 декабря. /Интерфакс/ - Дефицит бюджета не превысит 1,2% ВВП, заявил в пятницу "
    "министр финансов Олег Петров.\n\n"
    "«Мы сохраняем консервативный подход, - сказал министр журналистам. - Менять правило мы не "
    "планируем».\n\n"
    "Глава комитета Госдумы Игорь Сидоров, как передает агентство Tasnim, ответил, что бюджет "
    "«слишком оптимистичен»."
)
# English: a relay named after the quotation; someone else's unquoted words.
EN_RELAY = (
    "(Bloomberg) -- OPEC+ agreed on Sunday to keep output unchanged.\n\n"
    'Russian Deputy Prime Minister Ivan Sorokin said the decision reflected "seasonal '
    'factors" and that the group could resume increases, the Interfax news agency reported.\n\n'
    "An official, speaking on condition of anonymity, said Sorokin had approved the plan "
    "after a late-night meeting."
)
# French: titles before the name, an inverted verb after "à la presse", an interview.
FR_TITLES = (
    "Paris, 2 oct 2026 (AFP) - A Berlin, le chancelier Paul Lenz a regretté une « spirale "
    "dangereuse ».\n\n"
    "« Le retour de ces sanctions n'a aucune base juridique », a déclaré le ministre des "
    "Affaires étrangères Karim Nasser, cité par l'agence officielle Irna.\n\n"
    "« Les Européens ont détruit la diplomatie », a-t-il ajouté.\n\n"
    "— Nous ne reconnaîtrons pas ces résultats, a lancé mardi à la presse un cadre du parti, "
    "Marc Diallo.\n\n"
    "Le gouverneur de la Banque de France, Louis Garnier, a répondu à nos questions.\n\n"
    "– Faut-il s'attendre à une baisse des taux ?\n\n"
    "– Nous restons vigilants, répond-il.\n\n"
    "– La situation budgétaire inquiète-t-elle vos collègues ?\n\n"
    "– Elle est suivie avec attention. La France doit réduire son déficit."
)

WEBER = ("Anton Weber", ("Weber",))
HORDIENKO = ("Petro Hordienko", ("Hordienko",))
MOROSOW = ("Iwan Morosow", ("Kremlsprecher",))
PETROV = ("Олег Петров", ("Петров",))
SIDOROV = ("Игорь Сидоров", ())
SOROKIN = ("Ivan Sorokin", ("Sorokin",))
LENZ = ("Paul Lenz", ())
NASSER = ("Karim Nasser", ())
DIALLO = ("Marc Diallo", ())
GARNIER = ("Louis Garnier", ())

# (article, quote, (actor, aliases), expected, via contains)
CASES = [
    (DE_PRONOUN, "Jedes System rettet Leben", HORDIENKO, D, None),
    (DE_PRONOUN, "Jedes System rettet Leben", WEBER, M, None),
    (DE_PRONOUN, "Die Regierung werde zudem weitere Systeme prüfen", WEBER, R, None),
    (DE_PRONOUN, "nur das Leiden", MOROSOW, V, "Interfax"),
    (RU_INCISE, "Мы сохраняем консервативный подход", PETROV, D, None),
    (RU_INCISE, "Менять правило мы не планируем", PETROV, D, None),
    (RU_INCISE, "Дефицит бюджета не превысит 1,2% ВВП", PETROV, R, None),
    (RU_INCISE, "слишком оптимистичен", SIDOROV, V, "Tasnim"),
    (EN_RELAY, "seasonal factors", SOROKIN, V, "Interfax"),
    (EN_RELAY, "the group could resume increases", SOROKIN, V, "Interfax"),
    # Unquoted words that someone else said are not misattributed (that needs quotation marks)
    (EN_RELAY, "Sorokin had approved the plan after a late-night meeting", SOROKIN, N, None),
    (FR_TITLES, "spirale dangereuse", LENZ, D, None),
    (FR_TITLES, "Le retour de ces sanctions n'a aucune base juridique", NASSER, V, "Irna"),
    (FR_TITLES, "Les Européens ont détruit la diplomatie", NASSER, V, "Irna"),
    (FR_TITLES, "Nous ne reconnaîtrons pas ces résultats", DIALLO, D, None),
    (FR_TITLES, "Nous restons vigilants", GARNIER, D, None),
    (FR_TITLES, "La France doit réduire son déficit.", GARNIER, D, None),
    (FR_TITLES, "Faut-il s'attendre à une baisse des taux", GARNIER, N, None),
]


@pytest.mark.parametrize(
    ("article", "quote", "who", "expected", "via"),
    [pytest.param(*case, id=f"{i:02d}-{case[3].value}") for i, case in enumerate(CASES)],
)
def test_wire_conventions(
    article: str,
    quote: str,
    who: tuple[str, tuple[str, ...]],
    expected: Provenance,
    via: str | None,
) -> None:
    result = ArticleQuotes(article).check(quote, who[0], who[1])
    assert result.provenance is expected, result
    if via is not None:
        assert via in (result.via or ""), result


def test_own_words_need_quotation_marks_even_through_a_relay() -> None:
    text = (
        "SEOUL, Dec 4 (Reuters) - North Korean leader Kim Jong Un, according to state media "
        "KCNA, pledged his unconditional support for Russia's position on Ukraine.\n\n"
        "KCNA quoted Kim as saying: \u201cWe will always stand with the Russian army.\u201d"
    )
    quotes = ArticleQuotes(text)
    paraphrase = quotes.check("pledged his unconditional support", "Kim Jong Un", ["Kim"])
    words = quotes.check("We will always stand with the Russian army", "Kim Jong Un", ["Kim"])
    assert (paraphrase.provenance, paraphrase.quoted, paraphrase.own_words) == (
        Provenance.VIA,
        False,
        False,
    )
    assert (words.provenance, words.quoted, words.own_words) == (Provenance.VIA, True, True)
