"""The summary check: planted errors in four languages are caught, paraphrases are not flagged."""

from __future__ import annotations

import pytest

from bot.checks.summary import Unsupported, check_briefing, unsupported
from bot.models import Actor, ActorKind, BriefingDraft

EN = """SEOUL, Dec 4 (Reuters) - North Korean leader Kim Jong Un met Russia's Security Council Secretary Sergei Shoigu on Wednesday and pledged unconditional support for Moscow's position on Ukraine, state media KCNA reported on Thursday.

North Korea on Monday rejected a report by the Multilateral Sanctions Monitoring Team, a group of 11 UN members, which said Pyongyang had supplied more than 20,000 containers of munitions to Russia since October 2024.

The report estimated that the shipments were worth about $1.2 billion and that two-thirds of them crossed by rail. Trade between the two countries rose 9.5% last year, it said.

"The MSMT is a political tool of the West," the North Korean Foreign Ministry said in a statement. The treaty signed in Pyongyang on June 19, 2024, includes a mutual defence pact, Russian President Vladimir Putin said at the time.

South Korea's Unification Ministry said it was monitoring the situation."""

RU = """МОСКВА, 4 декабря. /ТАСС/. Секретарь Совета безопасности России Сергей Шойгу в среду провел переговоры в Пхеньяне с лидером КНДР Ким Чен Ыном, сообщило в четверг Центральное телеграфное агентство Кореи (ЦТАК).

По данным агентства, Ким Чен Ын заявил, что Пхеньян «безоговорочно поддерживает позицию России». Стороны обсудили договор о всеобъемлющем стратегическом партнерстве, подписанный 19 июня 2024 года.

Ранее группа из одиннадцати государств опубликовала доклад, в котором утверждается, что КНДР поставила России более 20 000 контейнеров с боеприпасами. Стоимость поставок оценивается примерно в 1,2 млрд долларов. Товарооборот между странами вырос на 9,5 процента.

В понедельник МИД КНДР назвал доклад политически мотивированным."""

DE = """Seoul (dpa) - Nordkoreas Machthaber Kim Jong Un hat am Mittwoch den Sekretär des russischen Sicherheitsrats, Sergej Schoigu, in Pjöngjang empfangen. Das berichtete die staatliche Nachrichtenagentur KCNA am Donnerstag.

Kim sicherte Russland demnach seine bedingungslose Unterstützung zu. Ein Bericht einer Gruppe von elf Staaten wirft Nordkorea vor, mehr als 20.000 Container mit Munition an Russland geliefert zu haben. Der Wert der Lieferungen wird auf rund 1,2 Milliarden Dollar geschätzt.

Das Außenministerium in Pjöngjang wies den Bericht am Montag als politisch motiviert zurück. Der Handel zwischen beiden Ländern wuchs im vergangenen Jahr um 9,5 Prozent. Der Vertrag über eine umfassende strategische Partnerschaft war am 19. Juni 2024 unterzeichnet worden."""

FR = """SÉOUL, 4 décembre (AFP) - Le dirigeant nord-coréen Kim Jong Un a reçu mercredi à Pyongyang le secrétaire du Conseil de sécurité russe, Sergueï Choïgou, a rapporté jeudi l'agence officielle KCNA.

M. Kim a réaffirmé son soutien « inconditionnel » à la Russie. Un rapport d'un groupe de onze pays accuse la Corée du Nord d'avoir livré plus de 20 000 conteneurs de munitions à Moscou, pour une valeur d'environ 1,2 milliard de dollars.

Lundi, le ministère nord-coréen des Affaires étrangères a rejeté ce rapport. Les échanges entre les deux pays ont progressé de 9,5 % l'an dernier. Le traité de partenariat stratégique a été signé le 19 juin 2024."""

ARTICLES = {"en": EN, "ru": RU, "de": DE, "fr": FR}

# Statements a correct briefing could make: paraphrased numbers, dates and names.
CLEAN = [
    ("en", "North Korea rejected the sanctions report on Monday."),
    ("en", "The report said Pyongyang supplied more than 20,000 containers of munitions."),
    ("en", "Pyongyang sent over 20 000 containers to Russia."),
    ("en", "North Korea supplied twenty thousand containers of munitions to Russia."),
    ("en", "The monitoring team groups eleven UN members."),
    ("en", "The shipments were worth roughly $1.2bn."),
    ("en", "The shipments were worth about 1.2 billion dollars."),
    ("en", "Two-thirds of the munitions crossed by rail."),
    ("en", "Trade rose 9.5 per cent last year."),
    ("en", "Kim met Shoigu on Wednesday, KCNA reported on Thursday."),
    ("en", "The treaty was signed on 19 June 2024."),
    ("en", "The treaty was signed in June 2024 in Pyongyang."),
    ("en", "DPRK leader Kim pledged support for Moscow."),
    ("en", "Putin's treaty with North Korea includes a mutual defence pact."),
    ("en", "North Korea Rejects UN Sanctions Report"),
    ("en", "Kim Pledges Unconditional Support For Moscow"),
    ("en", "The report covers shipments since October 2024."),
    ("en", "South Korea is monitoring the situation."),
    ("en", "The shipments were worth about $1.25 billion."),
    ("en", "Trade rose nearly 10% last year."),
    ("en", "Kim Jong-un met Shoigu in the Dec 4 report's account of Wednesday."),
    ("en", "The Kremlin won Pyongyang's backing."),
    ("ru", "Шойгу встретился с Ким Чен Ыном в среду."),
    ("ru", "Шойгу провел переговоры с Ким Чен Ыном в Пхеньяне."),
    ("ru", "КНДР поставила России свыше 20 тысяч контейнеров."),
    ("ru", "Северная Корея поставила России более 20 000 контейнеров с боеприпасами."),
    ("ru", "Стоимость поставок — около 1,2 миллиарда долларов."),
    ("ru", "Доклад подготовила группа из 11 государств."),
    ("ru", "Товарооборот вырос на 9,5%."),
    ("ru", "Договор подписан 19 июня 2024 года."),
    ("ru", "Россия получила поддержку Пхеньяна."),
    ("ru", "В понедельник МИД КНДР отверг доклад."),
    ("ru", "Ким заявил о поддержке позиции Москвы."),
    ("ru", "ЦТАК сообщило о встрече в четверг."),
    ("ru", "Группа из одиннадцати стран обвинила Пхеньян в поставках двадцати тысяч контейнеров."),
    ("de", "Kim empfing Schoigu am Mittwoch in Pjöngjang."),
    ("de", "Nordkorea soll über 20 000 Container Munition geliefert haben."),
    ("de", "Die Lieferungen sind etwa 1,2 Mrd. Dollar wert."),
    ("de", "Eine Gruppe von 11 Staaten legte den Bericht vor."),
    ("de", "Der Handel wuchs um 9,5 %."),
    ("de", "Der Vertrag wurde am 19. Juni 2024 unterzeichnet."),
    ("de", "Der Kreml erhielt Unterstützung aus Nordkorea."),
    ("de", "Russlands Sicherheitsratssekretär Schoigu war am Mittwoch in Pjöngjang."),
    ("de", "Schoigu wurde in Pjöngjang von Kim Jong Un empfangen."),
    ("de", "Pjöngjang wies den Bericht am Montag zurück."),
    ("de", "Der Handel wuchs im vergangenen Jahr um fast 10 Prozent."),
    ("de", "Die Regierung in Moskau erhielt die Zusage einer vollständigen Unterstützung."),
    ("fr", "Kim Jong Un a reçu Sergueï Choïgou mercredi à Pyongyang."),
    ("fr", "La Corée du Nord aurait livré plus de vingt mille conteneurs."),
    ("fr", "Un groupe de 11 pays a publié le rapport."),
    ("fr", "La valeur des livraisons atteint environ 1,2 milliard de dollars."),
    ("fr", "Les échanges ont progressé de 9,5 pour cent."),
    ("fr", "Le traité a été signé le 19 juin 2024."),
    ("fr", "Pyongyang a rejeté le rapport lundi."),
    ("fr", "Moscou a reçu le soutien de la Corée du Nord."),
    ("fr", "Le Kremlin a reçu le soutien de Pyongyang."),
    ("fr", "Les échanges ont progressé de près de 10 % l'an dernier."),
    ("fr", "Selon l'agence KCNA, Kim a promis un soutien inconditionnel à la Russie."),
]

# Statements with ONE planted error: (language, statement, kind, the wrong token as written).
PLANTED = [
    (
        "en",
        "The report said Pyongyang supplied more than 30,000 containers of munitions.",
        "number",
        "30,000",
    ),
    ("en", "The monitoring team is made up of 12 UN members.", "number", "12"),
    ("en", "The monitoring team is made up of twelve UN members.", "number", "twelve"),
    ("en", "The shipments were worth about $1.2 million.", "number", "1.2 million"),
    ("en", "Three-quarters of the munitions crossed by rail.", "number", "Three-quarters"),
    ("en", "Trade rose 19.5% last year.", "number", "19.5"),
    ("en", "Trade rose 9.5 per cent, to 4 billion dollars.", "number", "4 billion"),
    ("en", "North Korea rejected the report on Tuesday.", "date", "Tuesday"),
    ("en", "Kim met Shoigu on Friday.", "date", "Friday"),
    ("en", "The treaty was signed on June 20, 2024.", "date", "June 20"),
    ("en", "The report covers shipments since November 2024.", "date", "November"),
    ("en", "The report covers shipments since October 2023.", "date", "2023"),
    ("en", "Iran rejected the sanctions report.", "name", "Iran"),
    ("en", "Kim met Iran's Security Council Secretary Sergei Shoigu.", "name", "Iran"),
    ("en", "Kim met Russian Defence Minister Andrei Belousov.", "name", "Belousov"),
    ("en", "The European Union rejected the report.", "name", "European Union"),
    ("en", "Chinese President Xi Jinping backed the report.", "name", "Xi Jinping"),
    ("en", "Japan's foreign ministry said it was monitoring the situation.", "name", "Japan"),
    ("en", "Kim Pledges Support For Beijing", "name", "Beijing"),
    ("ru", "КНДР поставила России более 30 000 контейнеров.", "number", "30 000"),
    ("ru", "Стоимость поставок — около 1,2 млн долларов.", "number", "1,2 млн"),
    ("ru", "Доклад подготовила группа из двенадцати государств.", "number", "двенадцати"),
    ("ru", "Товарооборот вырос на 15 процентов.", "number", "15"),
    ("ru", "Шойгу встретился с Ким Чен Ыном во вторник.", "date", "вторник"),
    ("ru", "Договор подписан 20 июня 2024 года.", "date", "20 июня"),
    ("ru", "Договор подписан в июле 2024 года.", "date", "июле"),
    ("ru", "Шойгу провел переговоры в Тегеране.", "name", "Тегеран"),
    ("ru", "Иран поставил России более 20 000 контейнеров.", "name", "Иран"),
    ("ru", "Лавров провел переговоры с Ким Чен Ыном.", "name", "Лавров"),
    ("de", "Nordkorea soll mehr als 25.000 Container geliefert haben.", "number", "25.000"),
    ("de", "Die Lieferungen sind etwa 1,2 Millionen Dollar wert.", "number", "1,2 Millionen"),
    ("de", "Eine Gruppe von zwölf Staaten legte den Bericht vor.", "number", "zwölf"),
    ("de", "Der Handel wuchs um 19,5 Prozent.", "number", "19,5"),
    ("de", "Kim empfing Schoigu am Dienstag.", "date", "Dienstag"),
    ("de", "Der Vertrag wurde am 19. Juli 2024 unterzeichnet.", "date", "19. Juli"),
    ("de", "Kim empfing Schoigu in Teheran.", "name", "Teheran"),
    ("de", "Der Iran wies den Bericht zurück.", "name", "Iran"),
    ("de", "Kanzler Merz kritisierte den Bericht.", "name", "Merz"),
    ("de", "Kim empfing Außenminister Lawrow in Pjöngjang.", "name", "Lawrow"),
    ("fr", "La Corée du Nord aurait livré plus de 30 000 conteneurs.", "number", "30 000"),
    (
        "fr",
        "La valeur des livraisons atteint environ 1,2 million de dollars.",
        "number",
        "1,2 million",
    ),
    ("fr", "Un groupe de douze pays a publié le rapport.", "number", "douze"),
    ("fr", "Les échanges ont progressé de 19,5 % l'an dernier.", "number", "19,5"),
    ("fr", "Kim Jong Un a reçu Sergueï Choïgou mardi.", "date", "mardi"),
    ("fr", "Le traité a été signé le 19 juillet 2024.", "date", "19 juillet"),
    ("fr", "L'Iran a rejeté le rapport.", "name", "Iran"),
    ("fr", "Kim Jong Un a reçu Sergueï Lavrov à Pyongyang.", "name", "Lavrov"),
    ("fr", "La Chine a rejeté le rapport lundi.", "name", "Chine"),
    ("fr", "Kim Jong Un a reçu Sergueï Choïgou à Pékin.", "name", "Pékin"),
]


def _caught(found: list[Unsupported], kind: str, error: str) -> bool:
    return any(u.kind == kind and error.casefold() in u.text.casefold() for u in found)


@pytest.mark.parametrize(("lang", "statement"), CLEAN)
def test_paraphrase_is_not_flagged(lang: str, statement: str) -> None:
    assert unsupported(statement, ARTICLES[lang]) == []


@pytest.mark.parametrize(("lang", "statement", "kind", "error"), PLANTED)
def test_planted_error_is_caught(lang: str, statement: str, kind: str, error: str) -> None:
    assert _caught(unsupported(statement, ARTICLES[lang]), kind, error)


def test_table_meets_the_catch_and_false_flag_targets() -> None:
    assert len(CLEAN) + len(PLANTED) >= 80
    assert {lang for lang, *_ in CLEAN} == {lang for lang, *_ in PLANTED} == set(ARTICLES)
    caught = sum(_caught(unsupported(s, ARTICLES[la]), k, e) for la, s, k, e in PLANTED)
    flagged = sum(bool(unsupported(s, ARTICLES[la])) for la, s in CLEAN)
    assert caught / len(PLANTED) >= 0.95
    assert flagged / len(CLEAN) <= 0.02


def test_a_name_is_found_through_an_alias_of_its_group() -> None:
    statement = "KCNA сообщило о переговорах Шойгу в Пхеньяне."
    assert _caught(unsupported(statement, RU), "name", "KCNA")
    groups = [["ЦТАК", "KCNA", "Центральное телеграфное агентство Кореи"]]
    assert unsupported(statement, RU, groups=groups) == []


def test_flat_names_group_by_shared_words() -> None:
    statement = "Sergei Kuzhugetovich Shoigu met Kim on Wednesday."
    assert _caught(unsupported(statement, EN), "name", "Kuzhugetovich")
    names = ["Sergei Shoigu", "Shoigu", "Sergei Kuzhugetovich Shoigu"]
    assert unsupported(statement, EN, names) == []


def test_an_alias_does_not_vouch_for_another_actor() -> None:
    names = ["Kim Jong Un", "Kim", "Xi Jinping"]
    found = unsupported("Xi Jinping met Shoigu.", EN, names)
    assert found == [Unsupported("name", "Xi Jinping")]


def test_approximate_numbers_have_a_ten_percent_tolerance() -> None:
    assert unsupported("Pyongyang sent about 21,500 containers.", EN) == []
    assert _caught(unsupported("Pyongyang sent about 23,000 containers.", EN), "number", "23,000")
    # Unqualified, a number may only be the article's rounded to its own precision, and
    # still within the tolerance: 9.5% may be "10%", $1.2 billion is not "$1 billion".
    assert unsupported("Trade rose 10% last year.", EN) == []
    assert _caught(unsupported("The shipments were worth $1 billion.", EN), "number", "$1 billion")
    assert _caught(unsupported("Pyongyang sent 21,000 containers.", EN), "number", "21,000")


def test_a_date_is_compared_by_value_across_languages() -> None:
    assert unsupported("The treaty was signed on 19 June 2024.", RU) == []
    # A briefing in another language than its article needs the actor's aliases for names.
    shoigu = [["Sergei Shoigu", "Shoigu", "Sergueï Choïgou"]]
    assert unsupported("Shoigu met Kim on Wednesday.", FR, groups=shoigu) == []
    assert _caught(unsupported("Shoigu met Kim on Tuesday.", FR, groups=shoigu), "date", "Tuesday")
    assert _caught(unsupported("Shoigu met Kim on Saturday.", DE), "date", "Saturday")


def _briefing(**fields: object) -> BriefingDraft:
    base: dict[str, object] = {
        "headline": "Kim pledges support for Russia",
        "tldr": "North Korea rejected the report on Monday.",
        "key_points": [
            {"text": text, "source": ""}
            for text in [
                "Pyongyang supplied more than 20,000 containers.",
                "The group has 12 UN members.",
                "Trade rose 9.5%.",
            ]
        ],
        "why_it_matters": "Iran may follow Pyongyang's lead.",
        "language": "en",
        "topics": [],
        "places": [],
        "actors": [
            Actor(name="Kim Jong Un", aliases=["Kim"], kind=ActorKind.PERSON, stances=[]),
            Actor(
                name="Multilateral Sanctions Monitoring Team",
                aliases=["MSMT", "the monitoring group"],
                kind=ActorKind.GROUP,
                stances=[],
            ),
        ],
    }
    base.update(fields)
    return BriefingDraft.model_validate(base)


def test_check_briefing_reports_each_field_and_labels_analysis() -> None:
    result = check_briefing(_briefing(), EN)
    by_field = {f.field: f for f in result.fields}
    assert [f.field for f in result.fields] == [
        "headline",
        "tldr",
        "key_points[0]",
        "key_points[1]",
        "key_points[2]",
        "why_it_matters",
    ]
    assert by_field["headline"].unsupported == ()
    assert by_field["key_points[1]"].unsupported == (Unsupported("number", "12"),)
    assert by_field["why_it_matters"].analysis
    assert by_field["why_it_matters"].unsupported == (Unsupported("name", "Iran"),)
    assert not by_field["tldr"].analysis
    assert result.failed_count == 2


def test_check_briefing_uses_the_actors_aliases() -> None:
    headline = "The Monitoring Group accuses Kim of arms deliveries"
    assert _caught(unsupported(headline, EN), "name", "Monitoring Group")
    assert check_briefing(_briefing(headline=headline), EN).fields[0].unsupported == ()


# A second table, written after the code was first run on the table above, over four new
# articles (EU aid, a Russian forum, the German budget, French inflation). Its first run
# gave 4 false flags in 37 clean statements and caught 24 of 25 planted errors; the general
# causes (an acronym of the article's spelled-out name, "every quarter" read as 1/4, a
# connector read as a German name, "Etat" taken for part of "Etats-Unis") were then fixed.
# The two cases that stay wrong are tests of their own below.
EN2 = """BRUSSELS, March 12 (AP) — European Union finance ministers on Tuesday approved a €50 billion aid package for Ukraine covering 2024 to 2027, ending weeks of resistance from Hungary.

Hungarian Prime Minister Viktor Orban had blocked the deal in December, but dropped his veto after EU leaders agreed to review the spending each year. "This is a strong signal to Kyiv," said EU economy commissioner Paolo Gentiloni.

The money — €33 billion in loans and €17 billion in grants — will flow in quarterly tranches. About 60% of it is meant for the state budget, the rest for investment. Ukraine's economy shrank by nearly a third in 2022 and grew 5.3% last year, according to the International Monetary Fund.

Germany and France, the bloc's two biggest contributors, welcomed the agreement. The first payment of €4.5 billion is expected in April."""
RU2 = """ВЛАДИВОСТОК, 5 сентября. /ТАСС/. Президент России Владимир Путин в четверг выступил на пленарном заседании Восточного экономического форума, в котором приняли участие более 7 тыс. человек из 75 стран.

По словам Путина, товарооборот России и Китая по итогам прошлого года превысил 240 млрд долларов, а доля расчетов в национальных валютах достигла 95%. Он также сообщил, что инфляция в России к концу года составит около 7,5 процента.

Председатель КНР Си Цзиньпин направил участникам форума приветствие. Форум продлится до 6 сентября."""
DE2 = """Berlin (dpa) - Der Bundestag hat am Freitag mit großer Mehrheit einen Haushalt von 476 Milliarden Euro für das kommende Jahr beschlossen. Für den Entwurf von Finanzminister Christian Lindner stimmten 385 Abgeordnete, 280 votierten dagegen.

Die Neuverschuldung liegt bei rund 39 Milliarden Euro und damit knapp unter der Grenze der Schuldenbremse. Bundeskanzler Olaf Scholz sprach von einem «soliden Haushalt». Die Union kritisierte die Pläne als unseriös.

Der Verteidigungsetat steigt um 1,2 Milliarden auf 53,25 Milliarden Euro. Deutschland erfüllt damit nach Angaben der Regierung das Nato-Ziel von zwei Prozent der Wirtschaftsleistung. Der Bundesrat soll am 14. Dezember abschließend beraten."""
FR2 = """PARIS, 31 octobre (AFP) - L'inflation en France a ralenti à 1,2 % sur un an en octobre, son plus bas niveau depuis trois ans, selon une estimation provisoire publiée jeudi par l'Insee.

La baisse des prix de l'énergie, en recul de 6,1 %, explique l'essentiel de ce ralentissement, a précisé l'institut. Les prix de l'alimentation ont progressé de 0,5 %.

Le ministre de l'Économie, Antoine Armand, a salué « une bonne nouvelle pour le pouvoir d'achat des Français ». La Banque de France prévoit une croissance de 1,1 % en 2024. Le taux de chômage s'établit à 7,4 %, selon l'Insee."""
HELD_OUT = {"en": EN2, "ru": RU2, "de": DE2, "fr": FR2}
HELD_OUT_CLEAN = [
    ("en", "EU finance ministers approved a €50bn aid package for Ukraine on Tuesday."),
    ("en", "Hungary's Viktor Orban dropped his veto after leaders agreed to an annual review."),
    ("en", "The package combines 33 billion euros in loans with 17 billion in grants."),
    ("en", "Roughly 60 per cent of the money goes to Ukraine's state budget."),
    ("en", "Ukraine's economy contracted by almost a third in 2022 before growing 5.3% last year."),
    ("en", "A first tranche of €4.5 billion is expected in April."),
    ("en", "Germany and France, the largest contributors, welcomed the deal."),
    ("en", "EU Approves €50 Billion Ukraine Aid After Hungary Lifts Veto"),
    ("en", "Commissioner Paolo Gentiloni called it a strong signal to Kyiv."),
    ("en", "Budapest had blocked the deal in December."),
    ("en", "Payments will come every quarter, the IMF data show Ukraine recovering."),
    ("ru", "Путин выступил на Восточном экономическом форуме в четверг."),
    ("ru", "В форуме участвуют свыше 7 тысяч человек из 75 стран."),
    ("ru", "Товарооборот России и Китая превысил 240 миллиардов долларов."),
    ("ru", "Доля расчетов в национальных валютах достигла 95 процентов."),
    ("ru", "Инфляция к концу года составит примерно 7,5%."),
    ("ru", "Си Цзиньпин направил приветствие участникам форума."),
    ("ru", "Форум во Владивостоке продлится до 6 сентября."),
    ("ru", "Российский президент Владимир Путин оценил торговлю с Пекином."),
    ("de", "Der Bundestag beschloss am Freitag einen Haushalt über 476 Mrd. Euro."),
    ("de", "385 Abgeordnete stimmten für den Entwurf von Christian Lindner."),
    ("de", "Die neuen Schulden betragen etwa 39 Milliarden Euro."),
    ("de", "Kanzler Scholz lobte den soliden Haushalt."),
    ("de", "Der Wehretat wächst auf 53,25 Milliarden Euro."),
    ("de", "Deutschland erreicht damit das Zwei-Prozent-Ziel der Nato."),
    ("de", "Der Bundesrat berät am 14. Dezember abschließend."),
    ("de", "Die Union hält den Haushalt für unseriös."),
    ("de", "Finanzminister Lindner setzte seinen Etat mit 385 zu 280 Stimmen durch."),
    ("fr", "L'inflation est tombée à 1,2 % en octobre, selon l'Insee."),
    ("fr", "C'est son plus bas niveau depuis trois ans."),
    ("fr", "Les prix de l'énergie ont reculé de 6,1 %."),
    ("fr", "Antoine Armand salue une bonne nouvelle pour le pouvoir d'achat."),
    ("fr", "La Banque de France table sur une croissance de 1,1 % en 2024."),
    ("fr", "Le chômage atteint 7,4 %."),
    ("fr", "L'Insee a publié jeudi son estimation provisoire."),
    ("fr", "Les prix alimentaires ont augmenté de 0,5 % sur un an."),
]
HELD_OUT_PLANTED = [
    (
        "en",
        "EU finance ministers approved a €50 million aid package for Ukraine.",
        "number",
        "50 million",
    ),
    ("en", "Poland had blocked the deal in December.", "name", "Poland"),
    (
        "en",
        "The package combines 33 billion euros in loans with 27 billion in grants.",
        "number",
        "27 billion",
    ),
    ("en", "A first tranche of €4.5 billion is expected in May.", "date", "May"),
    ("en", "Ministers approved the package on Wednesday.", "date", "Wednesday"),
    ("en", "Commissioner Ursula von der Leyen called it a strong signal.", "name", "Ursula"),
    ("en", "Ukraine's economy grew 3.5% last year.", "number", "3.5%"),
    ("ru", "Путин выступил на форуме в пятницу.", "date", "пятницу"),
    ("ru", "В форуме участвуют более 7 тысяч человек из 57 стран.", "number", "57"),
    ("ru", "Товарооборот России и Индии превысил 240 млрд долларов.", "name", "Индии"),
    ("ru", "Товарооборот превысил 240 млн долларов.", "number", "240 млн"),
    ("ru", "Форум продлится до 8 сентября.", "date", "8 сентября"),
    ("ru", "Приветствие направил премьер Ли Цян.", "name", "Ли Цян"),
    ("de", "Der Bundestag beschloss einen Haushalt von 467 Milliarden Euro.", "number", "467"),
    ("de", "Für den Entwurf stimmten 358 Abgeordnete.", "number", "358"),
    ("de", "Der Bundesrat berät am 14. November abschließend.", "date", "14. November"),
    (
        "de",
        "Bundeskanzler Friedrich Merz sprach von einem soliden Haushalt.",
        "name",
        "Friedrich Merz",
    ),
    ("de", "Der Bundestag stimmte am Donnerstag ab.", "date", "Donnerstag"),
    ("de", "Frankreich erfüllt damit das Nato-Ziel.", "name", "Frankreich"),
    ("fr", "L'inflation est tombée à 2,1 % en octobre.", "number", "2,1"),
    ("fr", "Les prix de l'énergie ont reculé de 6,1 % en septembre.", "date", "septembre"),
    ("fr", "Le ministre Bruno Le Maire a salué une bonne nouvelle.", "name", "Bruno Le Maire"),
    ("fr", "L'Insee a publié mardi son estimation.", "date", "mardi"),
    ("fr", "La Banque de France prévoit une croissance de 1,1 % en 2025.", "date", "2025"),
]


@pytest.mark.parametrize(("lang", "statement"), HELD_OUT_CLEAN)
def test_held_out_paraphrase_is_not_flagged(lang: str, statement: str) -> None:
    assert unsupported(statement, HELD_OUT[lang]) == []


@pytest.mark.parametrize(("lang", "statement", "kind", "error"), HELD_OUT_PLANTED)
def test_held_out_planted_error_is_caught(lang: str, statement: str, kind: str, error: str) -> None:
    assert _caught(unsupported(statement, HELD_OUT[lang]), kind, error)


def test_a_count_derived_from_the_article_is_still_unsupported() -> None:
    # True (2024 to 2027 is four years) but not stated: the check verifies what the text
    # says, not arithmetic, so the model's inference is marked for the reader to judge.
    found = unsupported("The aid covers the four years from 2024 to 2027.", EN2)
    assert found == [Unsupported("number", "four")]


@pytest.mark.xfail(strict=True, reason="a French name whose later words are lowercase")
def test_french_name_with_lowercase_adjectives_is_caught() -> None:
    statement = "Le chômage atteint 7,4 % selon la Banque centrale européenne."
    assert _caught(unsupported(statement, FR2), "name", "Banque centrale européenne")


def test_a_number_opening_a_compound_is_read() -> None:
    article = "The three-day talks ended on Friday with a 20-year deal."
    assert unsupported("The talks lasted three days under a 20-year deal.", article) == []
    assert unsupported("The two-day talks ended.", article) == [Unsupported("number", "two-day")]


@pytest.mark.parametrize(
    ("article", "statement"),
    [
        (EN, "Pressure on Pyongyang is mounting."),
        (EN, "Diplomacy stalled as Seoul watched."),
        (EN, "Expect Moscow to deepen the partnership."),
        (EN, "Analysts will watch whether deeper military cooperation draws new sanctions."),
        (DE, "Beobachter erwarten weitere Sanktionen gegen Pjöngjang."),
    ],
)
def test_an_ordinary_word_opening_a_sentence_is_no_name(article: str, statement: str) -> None:
    assert unsupported(statement, article) == []


@pytest.mark.parametrize(
    ("statement", "name"),
    [
        ("Lavrov is expected to visit.", "Lavrov"),
        ("Expect Lavrov to visit Pyongyang.", "Lavrov"),
        ("Washington is likely to respond.", "Washington"),
    ],
)
def test_a_name_opening_a_sentence_is_checked(statement: str, name: str) -> None:
    assert unsupported(statement, EN) == [Unsupported("name", name)]


def test_the_briefing_language_tells_german_nouns_from_names() -> None:
    # No German function word in the statement, and the article is English: only the
    # briefing's language (check_briefing passes it) says these capitals are nouns.
    statement = "Beobachter erwarten Sanktionen gegen Pjöngjang."
    assert Unsupported("name", "Sanktionen") in unsupported(statement, EN)
    assert unsupported(statement, EN, language="de") == []
    draft = _briefing(language="de", why_it_matters=statement)
    assert check_briefing(draft, EN).fields[-1].unsupported == ()
