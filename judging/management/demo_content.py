"""The demo's content in every language of the portal, written for the
demo (`seed_demo`): the contests' titles, theme and rules, the age
categories' names, and the drawings' titles and descriptions in the
language of each child's country.

English is the demo contests' default language (the contest's own fields);
every other language is a `ContestTranslation` row, and a name in the
`names` of an age category or a special award. Uzbek in Latin script
writes oʻ and gʻ with U+02BB (the modifier letter turned comma), as the
Uzbek alphabet does.
"""

# The contests' titles without the year: "People of the border 2025".
TITLES = {
    "en": "People of the border",
    "ru": "Люди границы",
    "kk": "Шекара адамдары",
    "ky": "Чек ара адамдары",
    "tg": "Одамони сарҳад",
    "tk": "Serhetdäki adamlar",
    "uz": "Chegara odamlari",
    "uz-cyrl": "Чегара одамлари",
}

THEMES = {
    "en": "Draw the people who work at our borders: border guards, customs officers, "
    "plant and animal health inspectors.",
    "ru": "Нарисуй людей, которые работают на наших границах: пограничников, таможенников, "
    "инспекторов, которые следят за здоровьем растений и животных.",
    "kk": "Шекарамызда қызмет ететін адамдардың суретін сал: шекарашылар, кеденшілер, "
    "өсімдіктер мен жануарлардың саулығын тексеретін инспекторлар.",
    "ky": "Чек арабызда иштеген адамдардын сүрөтүн тарт: чек арачылар, бажы кызматкерлери, "
    "өсүмдүктөрдүн жана жаныбарлардын ден соолугун текшерген инспекторлор.",
    "tg": "Одамоне, ки дар сарҳадҳои мо кор мекунанд, расм кашед: сарҳадбонон, кормандони гумрук, "
    "нозироне, ки саломатии растаниҳо ва ҳайвонотро месанҷанд.",
    "tk": "Serhetlerimizde işleýän adamlaryň suratyny çek: serhetçiler, gümrükçiler, "
    "ösümlikleriň we haýwanlaryň saglygyny barlaýan gözegçiler.",
    "uz": "Chegaralarimizda ishlaydigan odamlarni chizing: chegarachilar, bojxona xodimlari, "
    "oʻsimlik va hayvonlar salomatligini tekshiradigan inspektorlar.",
    "uz-cyrl": "Чегараларимизда ишлайдиган одамларни чизинг: чегарачилар, божхона ходимлари, "
    "ўсимлик ва ҳайвонлар саломатлигини текширадиган инспекторлар.",
}

RULES = {
    "en": "One drawing per child, made by the child. Any technique on paper. "
    "Send a photo or a scan of the whole sheet.",
    "ru": "Один рисунок от каждого ребёнка, нарисованный им самим. Любая техника на бумаге. "
    "Пришлите фотографию или скан всего листа.",
    "kk": "Әр баладан бір ғана сурет, оны баланың өзі салады. Қағаздағы кез келген техника. "
    "Парақтың толық фотосын немесе сканерленген көшірмесін жіберіңіз.",
    "ky": "Ар бир баладан бир гана сүрөт, аны баланын өзү тартат. Кагаздагы каалаган техника. "
    "Барак толугу менен көрүнгөн сүрөттү же сканды жибериңиз.",
    "tg": "Аз ҳар кӯдак як расм, ки онро худи кӯдак кашидааст. Ҳар гуна техника дар рӯи коғаз. "
    "Сурат ё скани тамоми варақро фиристед.",
    "tk": "Her çagadan bir surat, ony çaganyň özi çekmeli. Kagyzda islendik usul. "
    "Tutuş kagyzyň suratyny ýa-da skanyny iberiň.",
    "uz": "Har bir boladan bitta rasm, uni bolaning oʻzi chizgan boʻlishi kerak. Qogʻozda istalgan uslub. "
    "Butun varaqning fotosurati yoki skanini yuboring.",
    "uz-cyrl": "Ҳар бир боладан битта расм, уни боланинг ўзи чизган бўлиши керак. Қоғозда исталган услуб. "
    "Бутун варақнинг фотосурати ёки сканини юборинг.",
}

# (names per language, youngest age, oldest age), youngest band first.
CATEGORIES = [
    ({"en": "Younger group", "ru": "Младшая группа", "kk": "Кіші топ", "ky": "Кичүү топ",
      "tg": "Гурӯҳи хурдсолон", "tk": "Kiçi topar", "uz": "Kichik guruh", "uz-cyrl": "Кичик гуруҳ"}, 6, 9),
    ({"en": "Middle group", "ru": "Средняя группа", "kk": "Ортаңғы топ", "ky": "Орто топ",
      "tg": "Гурӯҳи миёна", "tk": "Orta topar", "uz": "Oʻrta guruh", "uz-cyrl": "Ўрта гуруҳ"}, 10, 13),
    ({"en": "Older group", "ru": "Старшая группа", "kk": "Ересек топ", "ky": "Улуу топ",
      "tg": "Гурӯҳи калонсолон", "tk": "Uly topar", "uz": "Katta guruh", "uz-cyrl": "Катта гуруҳ"}, 14, 17),
]

JURY_PRIZE_NAMES = {
    "ru": "Приз жюри", "kk": "Қазылар сыйлығы", "ky": "Калыстар сыйлыгы", "tg": "Ҷоизаи ҳакамон",
    "tk": "Emin agzalarynyň baýragy", "uz": "Hakamlar mukofoti", "uz-cyrl": "Ҳакамлар мукофоти",
}

# The language a family of each country submits in (its e-mails follow it).
COUNTRY_LANGUAGES = {"KZ": "kk", "KG": "ky", "TJ": "tg", "TM": "tk", "UZ": "uz"}

# Each country's children's first names, written as at home.
FIRST_NAMES = {
    "KZ": ["Әйгерім", "Арман", "Аружан", "Данияр", "Айдана", "Нұрлан"],
    "KG": ["Айзада", "Азамат", "Бакыт", "Гүлнара", "Эрлан", "Айпери"],
    "TJ": ["Мадина", "Рустам", "Зарина", "Фаррух", "Фирӯза", "Сино"],
    "TM": ["Merdan", "Aýgül", "Batyr", "Maýsa", "Döwlet", "Jeren"],
    "UZ": ["Dilnoza", "Bekzod", "Nilufar", "Eldor", "Shahnoza", "Sardor"],
}

# The parents' names, as they sign their e-mails at home.
GUARDIAN_NAMES = {
    "KZ": ["Гүлмира Сейітова", "Ерлан Оспанов", "Сәуле Жұмабаева", "Бауыржан Әлиев"],
    "KG": ["Чолпон Асанова", "Нурбек Токтогулов", "Айгүл Мамытова", "Эрмек Жумабеков"],
    "TJ": ["Нигина Раҳимова", "Фирдавс Назаров", "Шаҳло Саидова", "Ҷамшед Каримов"],
    "TM": ["Ogulgerek Atayewa", "Serdar Orazow", "Bahar Nurýagdyýewa", "Döwran Annaýew"],
    "UZ": ["Gulnora Yusupova", "Jasur Rahimov", "Mohira Ismoilova", "Oʻtkir Murodov"],
}

REGIONS = {"KZ": "Алматы", "KG": "Ош", "TJ": "Хуҷанд", "TM": "Daşoguz", "UZ": "Fargʻona"}

# The drawings' titles, in the language of the child's country.
ENTRY_TITLES = {
    "KZ": [
        "Тау асуындағы шекарашы", "Кеденші және үлкен жүк көлігі", "Бәрін табатын ит", "Алмаларды тексеру",
        "Малдәрігер қойларды қарап жүр", "Әкем шекарада", "Екі жақтағы достар",
        "Елдеріміздің арасындағы көпір", "Бекеттегі түнгі кезек", "Үйге қош келдің",
    ],
    "KG": [
        "Тоо ашуусундагы чек арачы", "Бажычы жана чоң жүк машинасы", "Баарын таба турган ит",
        "Алмаларды текшерүү", "Мал доктур койлорду карайт", "Атам чек арада", "Эки тараптагы достор",
        "Өлкөлөрүбүздүн ортосундагы көпүрө", "Посттогу түнкү кезмет", "Үйгө кош келиң",
    ],
    "TJ": [
        "Сарҳадбон дар ағбаи кӯҳ", "Корманди гумрук ва мошини боркаши калон", "Саге, ки ҳама чизро меёбад",
        "Санҷиши себҳо", "Духтури ҳайвонот гӯсфандонро нигоҳубин мекунад", "Падарам дар сарҳад",
        "Дӯстон дар ду тараф", "Пул байни кишварҳои мо", "Навбати шабона дар посгоҳ", "Ба хона хуш омадӣ",
    ],
    "TM": [
        "Dag geçelgesindäki serhetçi", "Gümrükçi we uly ýük maşyny", "Hemme zady tapýan it",
        "Almalary barlamak", "Mal lukmany goýunlara seredýär", "Kakam serhetde", "Iki tarapdaky dostlar",
        "Ýurtlarymyzyň arasyndaky köpri", "Postdaky gijeki nobat", "Öýe hoş geldiň",
    ],
    "UZ": [
        "Togʻ dovonidagi chegarachi", "Bojxonachi va katta yuk mashinasi", "Hamma narsani topadigan it",
        "Olmalarni tekshirish", "Veterinar qoʻylarga qaraydi", "Dadam chegarada", "Ikki tomondagi doʻstlar",
        "Mamlakatlarimiz orasidagi koʻprik", "Postdagi tungi navbat", "Uyga xush kelibsan",
    ],
}

# What earlier versions of the demo titled and described its drawings with
# (in English): a second run retitles those demo entries (`seed_demo`).
LEGACY_TITLES = [
    "Guard at the mountain pass", "Customs officer and the big truck", "The dog who finds things",
    "Checking the apples", "A vet looks after the sheep", "My father at the border", "Friends on both sides",
    "The bridge between our countries", "Night shift at the post", "Welcome home",
]
LEGACY_DESCRIPTION = "A drawing about the people who keep our borders safe."

ENTRY_DESCRIPTIONS = {
    "KZ": "Шекарамызды күзететін адамдар туралы сурет.",
    "KG": "Чек арабызды коргогон адамдар жөнүндө сүрөт.",
    "TJ": "Расм дар бораи одамоне, ки сарҳадҳои моро муҳофизат мекунанд.",
    "TM": "Serhetlerimizi goraýan adamlar hakynda surat.",
    "UZ": "Chegaralarimizni qoʻriqlaydigan odamlar haqida rasm.",
}


def contest_texts(*, year: int) -> dict[str, dict[str, str]]:
    """A demo contest's texts: language code -> {"title", "theme",
    "rules"}, for every language of the portal (English included)."""
    return {
        code: {"title": f"{title} {year}", "theme": THEMES[code], "rules": RULES[code]}
        for code, title in TITLES.items()
    }


# The demo's regional contest: the year's title followed by the region's
# name, in every language of the portal.
REGION_NAMES = {
    "en": "Central Asia", "ru": "Центральная Азия", "kk": "Орталық Азия", "ky": "Борбордук Азия",
    "tg": "Осиёи Марказӣ", "tk": "Merkezi Aziýa", "uz": "Markaziy Osiyo", "uz-cyrl": "Марказий Осиё",
}


def regional_contest_texts(*, year: int) -> dict[str, dict[str, str]]:
    """The regional demo contest's texts (as `contest_texts`), its title
    naming the region."""
    return {
        code: {**fields, "title": f"{fields['title']} · {REGION_NAMES[code]}"}
        for code, fields in contest_texts(year=year).items()
    }
