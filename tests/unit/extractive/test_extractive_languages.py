"""Extractive actors in German, French and Russian wire copy (hand-written, not the corpus)."""

from __future__ import annotations

import pytest

from bot.extractive.attribution import attributed_actors
from bot.extractive.languages import language_of
from bot.models import ActorKind

DPA = """HAMBURG (dpa) - Bundeswirtschaftsministerin Katherina Reiche hat die Industrie zu mehr \
Investitionen aufgerufen. „Wir brauchen jetzt Tempo“, sagte die CDU-Politikerin am Dienstag in \
Hamburg.

SPD-Fraktionschef Matthias Miersch sagte der Deutschen Presse-Agentur, die Koalition stehe zu ihren \
Zusagen. Der Verband der Chemischen Industrie (VCI) begrüßte den Vorstoß. VCI-Präsident Markus \
Steilemann nannte ihn »überfällig«.

Auch Frankreichs Präsident Emmanuel Macron äußerte sich. Er telefonierte mit Bundeskanzler \
Friedrich Merz. Russland und China wurden in dem Papier nicht erwähnt. Millionen Euro sollen \
in die Forschung fließen, Prozent der Mittel in die Chemie.

Die Europäische Kommission will im Frühjahr einen eigenen Vorschlag vorlegen. \
Kommissionspräsidentin Ursula von der Leyen sagte in Brüssel, Europa dürfe nicht zurückfallen. \
Der Bundesrat muss dem Gesetz noch zustimmen. Die Notenbank äußerte sich nicht."""

AFP = """Bruxelles, 12 mars 2026 (AFP) - La Commission européenne a proposé mercredi un plan de \
20 milliards d'euros pour l'industrie de défense, a annoncé sa présidente Ursula von der Leyen.

« Nous devons agir maintenant », a déclaré le commissaire à la Défense Andrius Kubilius lors \
d'une conférence de presse. Le ministre français des Armées, Sébastien Lecornu, a salué « un pas \
dans la bonne direction ».

Selon le quotidien Le Figaro, l'Allemagne et la Pologne soutiennent le projet. Le Premier \
ministre hongrois Viktor Orban a dénoncé « une fuite en avant ». Le secrétaire d'Etat Marco \
Rubio a jugé l'accord « préoccupant ». Le géant gazier Gazprom n'a pas réagi, a indiqué \
l'agence Ria Novosti."""

TASS = """БРЮССЕЛЬ, 12 марта. /ТАСС/. Еврокомиссия предложила выделить 20 млрд евро на развитие \
оборонной промышленности. Об этом в среду сообщила председатель Еврокомиссии Урсула фон дер Ляйен.

«Мы должны действовать сейчас», - заявил на пресс-конференции еврокомиссар по вопросам обороны \
Андрюс Кубилюс. Премьер-министр Венгрии Виктор Орбан назвал инициативу «бегством вперед».

Официальный представитель МИД России Мария Захарова заявила, что ЕС «продолжает милитаризацию». \
Захарову процитировало агентство РИА Новости. В Ближнем Востоке это заявление не комментировали.

«Наша позиция хорошо известна», — сказал пресс-секретарь президента РФ Дмитрий Песков. Пескова \
спросили о контактах с Вашингтоном. В Министерстве обороны РФ отказались от комментариев."""


def _actors(text: str) -> dict[str, ActorKind]:
    return {a.name: a.kind for a in attributed_actors(text)}


def test_german_wire_names_people_by_their_titles_and_bodies_by_their_heads() -> None:
    assert _actors(DPA) == {
        "Katherina Reiche": ActorKind.PERSON,
        "Matthias Miersch": ActorKind.PERSON,
        "Verband der Chemischen Industrie": ActorKind.ORGANISATION,
        "Markus Steilemann": ActorKind.PERSON,
        "Frankreich": ActorKind.STATE,
        "Emmanuel Macron": ActorKind.PERSON,
        "Friedrich Merz": ActorKind.PERSON,
        "Russland": ActorKind.STATE,
        "China": ActorKind.STATE,
        "Europäische Kommission": ActorKind.ORGANISATION,
        "Ursula von der Leyen": ActorKind.PERSON,
        "Bundesrat": ActorKind.ORGANISATION,
    }  # no title in a name, no dateline city, no outlet, no "Millionen Euro", no "Notenbank"


def test_french_wire_drops_titles_portfolios_and_relaying_agencies() -> None:
    assert _actors(AFP) == {
        "Commission européenne": ActorKind.ORGANISATION,
        "Ursula von der Leyen": ActorKind.PERSON,
        "Andrius Kubilius": ActorKind.PERSON,
        "Sébastien Lecornu": ActorKind.PERSON,
        "Allemagne": ActorKind.STATE,
        "Pologne": ActorKind.STATE,
        "Viktor Orban": ActorKind.PERSON,
        "Marco Rubio": ActorKind.PERSON,
        "Gazprom": ActorKind.ORGANISATION,
    }


def test_russian_wire_merges_case_forms_under_the_nominative() -> None:
    actors = {a.name: a for a in attributed_actors(TASS)}
    assert set(actors) == {
        "Еврокомиссия",
        "Урсула фон дер Ляйен",
        "Андрюс Кубилюс",
        "Венгрия",
        "Виктор Орбан",
        "МИД России",
        "Россия",
        "Мария Захарова",
        "Евросоюз",
        "Дмитрий Песков",
        "США",
        "Министерство обороны РФ",
    }  # not "ТАСС", "РИА Новости", "БРЮССЕЛЬ" or "Ближнем Востоке"
    assert actors["Венгрия"].kind is ActorKind.STATE
    assert "Венгрии" in actors["Венгрия"].aliases
    assert {"Захарову"} <= set(actors["Мария Захарова"].aliases)
    assert {"Пескова"} <= set(actors["Дмитрий Песков"].aliases)
    assert actors["МИД России"].kind is ActorKind.ORGANISATION


def test_english_possessive_body_before_a_role_is_a_title_and_names_keep_particles() -> None:
    text = (
        "BRUSSELS (Reuters) - European Commission President Ursula von der Leyen said on Monday "
        "the bloc would respond. Qatar's foreign ministry spokesperson Majed al-Ansari told "
        "reporters in Doha that talks would resume, the Saudi Press Agency reported."
    )
    assert _actors(text) == {
        "Ursula von der Leyen": ActorKind.PERSON,
        "Majed al-Ansari": ActorKind.PERSON,
        "European Commission": ActorKind.ORGANISATION,
        "Qatar": ActorKind.STATE,
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (DPA, "de"),
        (AFP, "fr"),
        (TASS, "ru"),
        ("The minister said on Monday that it is over.", "en"),
    ],
)
def test_language_of_wire_copy(text: str, language: str) -> None:
    assert language_of(text) == language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "KARLSRUHE (dpa) - Der Bundesgerichtshof (BGH) hat die Klage eines Verbraucherverbands "
                "abgewiesen. Das teilte das Gericht am Donnerstag mit. Bundesjustizministerin Stefanie "
                "Hubig (SPD) kündigte an, die Rechtslage prüfen zu lassen."
            ),
            {"Bundesgerichtshof", "Stefanie Hubig"},
        ),
        (
            (
                "МОСКВА, 2 июня. /Интерфакс/ - Арбитражный суд Москвы удовлетворил иск ПАО «Сбербанк». "
                "Аналитики Альфа-Банка ожидают снижения ставки. Как сообщил губернатор Белгородской "
                "области Вячеслав Гладков, пострадали два человека."
            ),
            {"Арбитражный суд Москвы", "Сбербанк", "Альфа-Банк", "Вячеслав Гладков"},
        ),
        (
            (
                "Kiev, 2 juin 2026 (AFP) - Le Kremlin n'a pas commenté. Son porte-parole, Dmitri "
                "Peskov, a affirmé que Moscou restait « ouvert au dialogue », selon l'agence Tass."
            ),
            {"Kremlin", "Dmitri Peskov", "Russie"},
        ),
    ],
)
def test_bodies_and_people_named_in_passing(text: str, expected: set[str]) -> None:
    assert set(_actors(text)) == expected  # no "eines Verbraucherverbands", "ПАО", region, Tass
