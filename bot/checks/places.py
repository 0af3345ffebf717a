"""Shipped name groups: states, their capitals and blocs, written in en, ru, de and fr."""

from __future__ import annotations

# Each group names one actor. Wire copy speaks of a state through its capital or seat
# ("Pyongyang said", "the Kremlin"), and a briefing may be written in another language than
# its article, so every form in a group vouches for every other. Inflected forms are not
# listed: names are compared with a conservative prefix tolerance (see names.same_word).
GROUPS: tuple[tuple[str, ...], ...] = (
    ("North Korea", "North Korean", "DPRK", "Pyongyang", "КНДР", "Северная Корея", "Пхеньян",
     "Nordkorea", "Pjöngjang", "Corée du Nord", "RPDC"),
    ("South Korea", "South Korean", "ROK", "Seoul", "Южная Корея", "Сеул", "Südkorea",
     "Corée du Sud", "Séoul"),
    ("Russia", "Russian", "Moscow", "Kremlin", "Россия", "Российская Федерация", "Москва",
     "Кремль", "Russland", "Moskau", "Kreml", "Russie", "Moscou"),
    ("United States", "US", "USA", "America", "American", "Washington", "White House", "США",
     "Соединенные Штаты", "Вашингтон", "Белый дом", "Америка", "Vereinigte Staaten",
     "Weißes Haus", "Amerika", "États-Unis", "Etats-Unis", "Maison Blanche"),
    ("China", "Chinese", "Beijing", "PRC", "Китай", "КНР", "Пекин", "Peking", "Chine", "Pékin"),
    ("Ukraine", "Ukrainian", "Kyiv", "Kiev", "Украина", "Киев", "Kiew"),
    ("Iran", "Iranian", "Tehran", "Иран", "Тегеран", "Teheran", "Téhéran"),
    ("Japan", "Japanese", "Tokyo", "Япония", "Токио", "Tokio", "Japon"),
    ("United Kingdom", "Britain", "British", "UK", "London", "Великобритания", "Лондон",
     "Großbritannien", "Grossbritannien", "Royaume-Uni", "Londres"),
    ("France", "French", "Paris", "Франция", "Париж", "Frankreich", "Élysée"),
    ("Germany", "German", "Berlin", "Германия", "Берлин", "Deutschland", "Allemagne"),
    ("Israel", "Israeli", "Jerusalem", "Израиль", "Иерусалим", "Israël", "Jérusalem"),
    ("Taiwan", "Taipei", "Тайвань", "Тайбэй", "Taïwan"),
    ("India", "Indian", "New Delhi", "Индия", "Нью-Дели", "Indien", "Inde"),
    ("Turkey", "Türkiye", "Ankara", "Турция", "Анкара", "Türkei", "Turquie"),
    ("Syria", "Damascus", "Сирия", "Дамаск", "Syrien", "Syrie", "Damas"),
    ("Iraq", "Baghdad", "Ирак", "Багдад", "Irak", "Bagdad"),
    ("Belarus", "Minsk", "Беларусь", "Белоруссия", "Минск", "Weißrussland", "Biélorussie"),
    ("Poland", "Warsaw", "Польша", "Варшава", "Polen", "Warschau", "Pologne", "Varsovie"),
    ("Italy", "Rome", "Италия", "Рим", "Italien", "Rom", "Italie"),
    ("Spain", "Madrid", "Испания", "Мадрид", "Spanien", "Espagne"),
    ("Hungary", "Budapest", "Венгрия", "Будапешт", "Ungarn", "Hongrie"),
    ("Egypt", "Cairo", "Египет", "Каир", "Ägypten", "Kairo", "Égypte", "Le Caire"),
    ("Saudi Arabia", "Riyadh", "Саудовская Аравия", "Эр-Рияд", "Saudi-Arabien",
     "Arabie saoudite", "Riyad"),
    ("Qatar", "Doha", "Катар", "Доха", "Katar"),
    ("Pakistan", "Islamabad", "Пакистан", "Исламабад"),
    ("Afghanistan", "Kabul", "Афганистан", "Кабул", "Kaboul"),
    ("Kazakhstan", "Astana", "Казахстан", "Астана", "Kasachstan"),
    ("Vietnam", "Hanoi", "Вьетнам", "Ханой"),
    ("Cuba", "Havana", "Куба", "Гавана", "Kuba", "La Havane"),
    ("Venezuela", "Caracas", "Венесуэла", "Каракас"),
    ("Canada", "Ottawa", "Канада", "Оттава", "Kanada"),
    ("European Union", "EU", "Brussels", "Евросоюз", "Европейский союз", "ЕС", "Брюссель",
     "Europäische Union", "Brüssel", "Union européenne", "UE", "Bruxelles"),
    ("United Nations", "UN", "ООН", "Vereinte Nationen", "UNO", "Nations unies", "ONU"),
    ("NATO", "НАТО", "Nato", "OTAN", "Otan"),
)  # fmt: skip
