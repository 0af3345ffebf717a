"""Wire-style articles for the quote provenance table (written before the classifier was tuned)."""

# The Kim Jong Un / Shoigu wire story a user forwarded (issue 17), copied verbatim.
KIM_SHOIGU = """On Wednesday, North Korean leader Kim Jong Un met Russia’s Security Council Secretary Sergei Shoigu and, according to state media KCNA’s report on Thursday, pledged his unconditional support for Russia’s position on Ukraine and other international issues.
“Kim Jong Un affirmed that the government of the Democratic People’s Republic of Korea will, in the future, too, unconditionally support the stand of Russia and its foreign policies,” it said, using the North’s official name.
North Korea will responsibly observe the articles of the treaty between the two countries, Kim was quoted as saying.
The two men also discussed strengthening the comprehensive strategic partnership and mutual cooperation in different fields.
The treaty was signed during Russian President Vladimir Putin’s visit to Pyongyang last year and a summit with North Korea’s Kim, and includes a mutual defence pact for immediate military assistance if either faces armed aggression.
Pyongyang Defends Moscow Ties
North Korea on Monday rejected a recent report by a multilateral sanctions panel on its ties with Russia as politically motivated and biased, insisting that its military cooperation with Moscow is a legitimate exercise of its sovereign rights, according to state media.
A report by the Multilateral Sanctions Monitoring Team, a group comprising 11 UN members, said North Korea enabled Russia to increase missile attacks against critical Ukrainian civilian infrastructure and supplied more than 20,000 containers of munitions.
‘Outrageous Encroachment’
The MSMT is “a political tool operating according to the geopolitical interests of the West and, therefore, it has no justification to investigate the exercise of sovereign rights of other countries”, the North Korean Foreign Ministry said in a statement cited by the state KCNA news agency.
The ministry called the group’s move “hostile” and “outrageous encroachment” on its sovereignty.
The group also said Moscow helped North Korea improve missile performance in return by supplying data. It was launched in October last year to monitor UN sanctions against North Korea after a Security Council panel was scrapped by Russia and China.
(With inputs from Reuters)"""

EU_SANCTIONS = """BRUSSELS, March 3 (Reuters) - European Commission President Ursula von der Leyen on Tuesday proposed a new package of sanctions on Russia, saying the bloc would not let up until Moscow agreed to a ceasefire.

"We will keep up the pressure until Russia ends this war. Every euro we deny the Kremlin matters," von der Leyen told reporters in Brussels.

She said the package would target shadow fleet tankers and banks in third countries that help Moscow evade existing measures.

Hungarian Foreign Minister Peter Szijjarto said Budapest would not support measures that hurt its energy security. "We have made it clear that we will veto anything that touches gas," he said.

The minister added that Hungary had no interest in prolonging the war.

The EU has adopted 19 packages of sanctions since Russia's full-scale invasion of Ukraine in February 2022.

The so-called "shadow fleet" of ageing tankers carries much of Russia's oil to India and China.

EU foreign policy chief Kaja Kallas said the bloc remained united. "Those who say Europe is divided are wrong. We have agreed on 19 packages so far and we will agree on the 20th.

"Nobody in Moscow should doubt our resolve. Russia calls this a 'special military operation', but it is a war of conquest," she said.

According to Kallas, the measures could be approved by the end of the month.

Kremlin spokesman Dmitry Peskov told reporters that the sanctions were illegal and would only harm Europe. "Europe is shooting itself in the foot," Peskov said.

Russian state news agency RIA quoted Deputy Foreign Minister Alexander Grushko as saying Moscow would respond to any seizure of its assets."""

AP_SENATE = """WASHINGTON (AP) — Senate Majority Leader John Thune said Thursday that lawmakers would vote next week on a bill to fund the government through September, warning that a shutdown would hurt troops and air traffic controllers.

"Nobody wins a shutdown. Not the American people, not the Congress, not the president," Thune said on the Senate floor.

Democrats were unmoved. "We are not going to hand them a blank check," said Senate Democratic leader Chuck Schumer, who has demanded an extension of health care subsidies.

He accused Republicans of "holding the country hostage to protect tax cuts for billionaires."

The House passed its version of the bill on Tuesday by a vote of 217 to 212.

White House press secretary Karoline Leavitt told reporters the president would sign the bill "the moment it reaches his desk."

"It's a clean bill," she said. "There is nothing in it that Democrats have not voted for before."

The last shutdown, in 2018 and 2019, lasted 35 days, the longest in U.S. history.

Thune, asked whether Republicans would negotiate on the subsidies, said: "We are always willing to talk, but not with a gun to our head."

Analysts say the standoff could drag on for weeks."""

TASS_PESKOV = """МОСКВА, 12 марта. /ТАСС/. Кремль не видит оснований для пересмотра своей позиции по Украине. Об этом журналистам заявил пресс-секретарь президента РФ Дмитрий Песков.

«Наша позиция хорошо известна и не меняется. Мы по-прежнему открыты для переговоров, но на наших условиях», — заявил Песков.

По его словам, Москва ожидает от Вашингтона «конкретных шагов», а не заявлений.

Официальный представитель МИД России Мария Захарова в свою очередь назвала новые санкции Евросоюза «незаконными». «Так называемый „двадцатый пакет“ лишь подтверждает, что Брюссель живет в мире иллюзий», — сказала она.

Министр иностранных дел Сергей Лавров заявил, что Россия готова к диалогу с США на основе взаимного уважения.

— Мы никому не навязываем свою дружбу, — сказал министр. — Но и от диалога не отказываемся.

Переговоры в Стамбуле завершились в прошлом месяце без подписания итогового документа.

Как сообщает ТАСС со ссылкой на источник в дипломатических кругах, следующий раунд может пройти в апреле."""

DPA_SCHOLZ = """Berlin (dpa) - Bundeskanzler Olaf Scholz hat die Forderung nach der Lieferung von Taurus-Marschflugkörpern an die Ukraine erneut zurückgewiesen.

„Ich werde keine Waffen liefern, die Deutschland zur Kriegspartei machen könnten“, sagte Scholz am Montag in Berlin. „Das ist meine Verantwortung als Kanzler.“

Der Kanzler betonte, dass Deutschland der größte Unterstützer der Ukraine in Europa bleibe.

CDU-Chef Friedrich Merz warf der Regierung Zögerlichkeit vor. »Diese Bundesregierung lässt die Ukraine im Stich«, sagte Merz. Er forderte eine sofortige Entscheidung.

Laut Verteidigungsminister Boris Pistorius sind weitere Patriot-Systeme bereits unterwegs.

Die Bundeswehr hat seit Beginn des Krieges Material im Wert von mehr als zehn Milliarden Euro abgegeben.

Wie die Nachrichtenagentur Interfax unter Berufung auf Kremlsprecher Dmitri Peskow berichtete, sieht Moskau in den Lieferungen eine direkte Beteiligung am Konflikt.

„Wir lassen uns nicht erpressen“, so Pistorius."""

AFP_MACRON = """PARIS (AFP) - Le président Emmanuel Macron a appelé jeudi les Européens à « prendre leur destin en main » face aux incertitudes de l'alliance transatlantique.

« L'Europe doit pouvoir se défendre seule. Nous ne pouvons plus déléguer notre sécurité », a déclaré Macron lors d'un discours à la Sorbonne.

Le chef de l'Etat a affirmé que la France était prête à ouvrir le débat sur la dissuasion nucléaire européenne.

Selon la ministre des Armées, Catherine Vautrin, le budget de la défense atteindra 64 milliards d'euros en 2027.

« C'est un effort historique », a-t-elle souligné.

La France consacre actuellement environ 2 % de son PIB à la défense.

— Il n'est pas question d'envoyer des troupes au sol, a dit le Premier ministre François Bayrou devant les députés.

Le Kremlin a dénoncé une « escalade dangereuse », a rapporté l'agence TASS, citant le porte-parole Dmitri Peskov."""

YONHAP_DEFENCE = """SEOUL, June 9 (Yonhap) -- South Korea's defence ministry said Monday it would suspend loudspeaker broadcasts along the border, in a move aimed at easing tensions with North Korea.

"The decision was made to restore trust between the two Koreas and to pursue peace on the Korean Peninsula," ministry spokesperson Jeon Ha-kyu told a regular press briefing.

Jeon said the military would maintain a firm readiness posture. He added that the ministry had not received any request from Pyongyang.

North Korea's state media has not yet reacted to the move. Kim Yo-jong, the powerful sister of North Korean leader Kim Jong Un, said last year that Seoul would pay "a dear price" for the broadcasts, according to the Korean Central News Agency.

The loudspeakers were switched back on in July last year after a six-year pause.

"We expect the North to respond in kind," a senior presidential official said on condition of anonymity."""

INTERFAX_GAS = """МОСКВА, 3 апреля. /Интерфакс/ - «Газпром» не планирует возобновлять поставки газа в Европу через Украину после истечения транзитного контракта, заявил заместитель председателя правления компании Виталий Маркелов.

«Транзит через Украину прекращен, и мы не видим условий для его возобновления», - сказал он журналистам в кулуарах форума.

Маркелов также сообщил, что компания увеличит поставки в Китай по газопроводу «Сила Сибири».

Ранее министр энергетики Словакии Денисa Сакова назвала прекращение транзита «серьезным ударом» по экономике страны.

Транзитный контракт между «Газпромом» и «Нафтогазом» истек 1 января.

По данным агентства Bloomberg, Европейская комиссия готовит план полного отказа от российского газа к 2027 году."""

SPIEGEL_MIGRATION = """Hamburg - Innenminister Alexander Dobrindt will die Grenzkontrollen an allen deutschen Landgrenzen verlängern.

»Die Zahl der irregulären Einreisen ist deutlich gesunken, aber wir sind noch nicht am Ziel«, sagte der CSU-Politiker der Zeitung »Bild am Sonntag«. Die Kontrollen würden daher bis mindestens September fortgesetzt.

Kritik kam von den Grünen. Fraktionsvize Konstantin von Notz sagte, die Kontrollen seien europarechtlich fragwürdig.

„Wir brauchen eine europäische Lösung und keine nationalen Alleingänge“, sagte von Notz. Er warf Dobrindt vor, Symbolpolitik zu betreiben.

Seit Oktober 2023 gibt es stationäre Kontrollen an den Grenzen zu Polen, Tschechien und der Schweiz.

Die Bundespolizei registrierte nach eigenen Angaben im ersten Quartal rund 9000 unerlaubte Einreisen."""

LEMONDE_PENSIONS = """La Première ministre a défendu mardi la réforme des retraites devant l'Assemblée nationale, estimant qu'elle était « indispensable » pour garantir l'avenir du système.

« Nous ne reviendrons pas sur l'âge légal de départ. Cette réforme est juste et nécessaire », a déclaré Elisabeth Borne sous les huées de l'opposition.

Le secrétaire général de la CGT, Philippe Martinez, a appelé à une nouvelle journée de mobilisation. « Le gouvernement reste sourd à la colère du pays », a-t-il lancé à la sortie de l'intersyndicale.

Selon un sondage Ifop publié dimanche, 68 % des Français restent opposés au texte.

La réforme prévoit de repousser l'âge légal de départ de 62 à 64 ans d'ici à 2030.

— Nous irons jusqu'au bout, a prévenu le leader de La France insoumise, Jean-Luc Mélenchon."""

REUTERS_JAPAN = """TOKYO, Feb 2 (Reuters) - Japan will not lift its seafood import curbs on China until Beijing scraps its own ban, Chief Cabinet Secretary Yoshimasa Hayashi told reporters on Monday.

"Our position has not changed," Hayashi said. "We will continue to ask China to lift the ban immediately."

In a statement carried by KCNA, North Korea's defence ministry said the drills were "a dangerous provocation" and warned of "resolute countermeasures".

KCNA quoted leader Kim Jong Un as saying the country must be ready for "an all-out war at any time".

China's foreign ministry spokeswoman Mao Ning said Beijing had "taken note" of the reports. She declined to comment further.

The U.S. State Department said in an email that Washington remained committed to the defence of its allies.

Tensions in the region have risen sharply since January."""
RIA_SIJJARTO = """Глава МИД Венгрии Петер Сийярто заявил, что Будапешт не поддержит новые санкции против России.

«Мы не будем голосовать за решения, которые вредят нашей энергетической безопасности», — подчеркнул министр.

Официальный представитель Еврокомиссии Паула Пиньо в ответ заявила, что обсуждение пакета продолжится. — Мы рассчитываем на единство всех 27 стран, — сказала она.

Как передает РИА Новости, в Кремле пока не комментировали это заявление."""
DPA_STEEL = """Brüssel (dpa) - Die EU-Kommission will die Zölle auf Stahlimporte deutlich erhöhen.

„Wir müssen unsere Industrie schützen“, erklärte ein Sprecher der Kommission am Dienstag. Handelskommissar Maroš Šefčovič sagte, man sei aber weiter zu Gesprächen bereit.

Nach Angaben des Branchenverbands Eurofer sind seit 2018 rund 30.000 Arbeitsplätze verloren gegangen.

»Das ist ein längst überfälliger Schritt«, sagte Eurofer-Chef Henrik Adam."""
AFP_ENERGY = """BRUXELLES (AFP) - La Commission européenne a présenté mercredi un plan pour réduire les prix de l'énergie.

« Nous devons agir vite et ensemble », a indiqué la présidente de la Commission, Ursula von der Leyen, dans un communiqué.

Le ministre allemand de l'Economie a salué une « bonne base de discussion ».

Selon l'agence Bloomberg, plusieurs Etats membres restent sceptiques.

Les prix de l'électricité ont doublé en Europe depuis 2021."""

REUTERS_RUBIO = """WASHINGTON, May 5 (Reuters) - U.S. Secretary of State Marco Rubio said on Monday that Washington would not accept "any deal that rewards aggression."

"We have been very clear. Russia must stop the killing.

"Only then can talks begin," Rubio told reporters, adding that he would travel to Istanbul next week.

Russian Foreign Minister Sergei Lavrov, who met Rubio in Riyadh in February, said: "We are ready for a dialogue, but not for an ultimatum."

The State Department declined to comment on the report. A spokeswoman for the department said the secretary's schedule was not final.

Zelenskiy said Ukraine would "never recognise" occupied territories as Russian. The Ukrainian president spoke in Kyiv."""

AP_KYIV = """KYIV, March 9 (AP) — Ukrainian President Volodymyr Zelenskyy on Sunday urged Western allies to speed up deliveries of air defense systems after a Russian missile strike killed 14 people in Kryvyi Rih.

“Every day of delay means new funerals,” Zelenskyy said in his nightly video address. “We need Patriots, not promises.”

The Kremlin denied targeting civilians. Spokesman Dmitry Peskov said Russian forces strike “only military targets.”

Emergency workers searched the rubble through the night, the regional governor, Serhiy Lysak, wrote on Telegram. He said three children were among the dead.

NATO Secretary-General Mark Rutte told The Associated Press the alliance was “working around the clock” to find more systems."""

RIA_USHAKOV = """Президент России Владимир Путин провел телефонный разговор с президентом США.

«Разговор был откровенным и содержательным», — сообщил помощник президента Юрий Ушаков. По его словам, стороны договорились продолжить контакты.

Ушаков отметил, что тема Украины заняла большую часть беседы.

В Белом доме пока не прокомментировали итоги разговора."""

REUTERS_HABECK = """Berlin (Reuters) - Die Bundesregierung rechnet für dieses Jahr nur noch mit einem Mini-Wachstum.

Wirtschaftsminister Robert Habeck sagte am Mittwoch: „Die Lage ist ernst, aber nicht hoffnungslos.“ Er verwies auf die hohen Energiepreise.

Ökonomen teilen diese Einschätzung. „Die Konjunktur bleibt schwach“, sagte Ifo-Präsident Clemens Fuest der Nachrichtenagentur Reuters.

Die Opposition kritisierte die Regierung scharf."""

TF1_RETAILLEAU = """Le ministre de l'Intérieur Bruno Retailleau a annoncé lundi un renforcement des contrôles aux frontières.

« La France doit reprendre le contrôle de ses frontières », a-t-il déclaré sur TF1.

Pour la gauche, cette mesure est « inutile et coûteuse », selon le député socialiste Boris Vallaud.

Le nombre d'entrées irrégulières a baissé de 10 % l'an dernier."""
