"""Seed a demo: an open contest with real drawings as entries, and a finished
contest whose judging is done and whose winners are published.

Idempotent: a second run keeps every existing row and file.
"""

import datetime as dt
import itertools
import random
import secrets
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from contest import imaging, renditions, services as contest_services
from contest.models import AgeCategory, ConsentText, Contest, ContestRole, ContestTranslation, Entry
from judging import selectors, services as judging_services
from judging.management.demo_content import (
    CATEGORIES, COUNTRY_LANGUAGES, ENTRY_DESCRIPTIONS, ENTRY_TITLES, FIRST_NAMES, GUARDIAN_NAMES, JURY_PRIZE_NAMES,
    LEGACY_DESCRIPTION, LEGACY_TITLES, REGIONS, contest_texts,
)
from judging.management.demo_regional import REGIONAL_ACCOUNTS, RegionalDemo
from judging.management.demo_votes import seed_peoples_choice
from judging.models import Criterion, JudgingSettings

LAST_NAMES = ["Abdullaeva", "Nurlanov", "Karimova", "Tashkentov", "Saidova", "Omarov", "Bekova", "Rakhimov",
              "Yusupova", "Kadyrov", "Ismoilova", "Toktogulov", "Sharipova", "Atayev", "Murodova", "Zhaksylykov"]
CRITERIA = [("Idea and theme", Decimal("2"), 10), ("Technique", Decimal("1"), 10), ("Originality", Decimal("1"), 10)]
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".avif"}
# The demo's consent text in each language of the portal (issue 6: per
# contest and language, versioned): taking part and processing, publication
# if the drawing wins, and when everything is deleted.
CONSENT_TEXTS = {
    "en": "I am the child's parent or legal guardian. I agree that my child takes part in this contest and that "
    "the organizers keep and use the entry (my child's name, date of birth, country, school, the drawing and my "
    "contact details) only to run the contest. If the drawing wins and I allow it below, it may be published with "
    "my child's first name, age and country. An entry I do not confirm from the e-mail within 7 days is deleted; "
    "I can withdraw it at any time through the link in the e-mail, and then everything is deleted. The personal "
    "data of entries that do not win is deleted 90 days after the results are published.",
    "ru": "Я родитель или законный представитель ребёнка. Я согласен, чтобы мой ребёнок участвовал в этом "
    "конкурсе и чтобы организаторы хранили и использовали заявку (имя ребёнка, дату рождения, страну, школу, "
    "рисунок и мои контактные данные) только для проведения конкурса. Если рисунок победит и я разрешу это "
    "ниже, его могут опубликовать с именем ребёнка, возрастом и страной. Заявка, которую я не подтвержу по "
    "ссылке из письма в течение 7 дней, удаляется; я могу отозвать её в любой момент по ссылке из письма, и "
    "тогда всё будет удалено. Личные данные заявок, которые не победили, удаляются через 90 дней после "
    "публикации результатов.",
    "kk": "Мен баланың ата-анасымын немесе заңды өкілімін. Баламның осы байқауға қатысуына және "
    "ұйымдастырушылардың өтінімді (баланың аты, туған күні, елі, мектебі, суреті және менің байланыс "
    "деректерім) тек байқауды өткізу үшін сақтап, пайдалануына келісемін. Сурет жеңіп шықса және мен төменде "
    "рұқсат берсем, ол баланың атымен, жасымен және елімен жариялануы мүмкін. Хаттағы сілтеме арқылы 7 күн "
    "ішінде расталмаған өтінім жойылады; мен оны кез келген уақытта хаттағы сілтеме арқылы қайтарып ала "
    "аламын, сонда бәрі жойылады. Жеңбеген өтінімдердің жеке деректері нәтижелер жарияланғаннан кейін 90 "
    "күннен соң жойылады.",
    "ky": "Мен баланын ата-энесимин же мыйзамдуу өкүлүмүн. Баламдын ушул сынакка катышуусуна жана "
    "уюштуруучулар арызды (баланын аты, туулган күнү, өлкөсү, мектеби, сүрөтү жана менин байланыш "
    "маалыматтарым) сынакты өткөрүү үчүн гана сактап, колдонушуна макулмун. Эгер сүрөт жеңип чыкса жана мен "
    "төмөндө уруксат берсем, ал баланын аты, жашы жана өлкөсү менен жарыяланышы мүмкүн. Каттагы шилтеме "
    "аркылуу 7 күндүн ичинде ырасталбаган арыз өчүрүлөт; мен аны каалаган убакта каттагы шилтеме аркылуу "
    "кайтарып ала алам, анда баары өчүрүлөт. Жеңбеген арыздардын жеке маалыматтары жыйынтыктар "
    "жарыялангандан 90 күн өткөндөн кийин өчүрүлөт.",
    "tg": "Ман падар, модар ё намояндаи қонунии кӯдак ҳастам. Ман розӣ ҳастам, ки кӯдакам дар ин озмун "
    "иштирок кунад ва ташкилкунандагон аризаро (номи кӯдак, санаи таваллуд, кишвар, мактаб, расм ва маълумоти "
    "тамоси ман) танҳо барои гузаронидани озмун нигоҳ доранд ва истифода баранд. Агар расм ғолиб ояд ва ман "
    "дар поён иҷозат диҳам, он метавонад бо номи кӯдак, синну сол ва кишвараш нашр шавад. Аризае, ки ман дар "
    "давоми 7 рӯз тавассути пайванди мактуб тасдиқ накунам, нест карда мешавад; ман метавонам онро дар ҳар "
    "вақт тавассути пайванди мактуб бозпас гирам ва он гоҳ ҳама чиз нест карда мешавад. Маълумоти шахсии "
    "аризаҳое, ки ғолиб наомаданд, 90 рӯз пас аз нашри натиҷаҳо нест карда мешавад.",
    "tk": "Men çaganyň ene-atasydyryn ýa-da kanuny wekilidirin. Çagamyň bu bäsleşige gatnaşmagyna we "
    "guramaçylaryň arzany (çaganyň adyny, doglan senesini, ýurduny, mekdebini, suratyny we meniň habarlaşmak "
    "maglumatlarymy) diňe bäsleşigi geçirmek üçin saklamagyna we ulanmagyna razylyk berýärin. Eger surat ýeňse "
    "we men aşakda rugsat bersem, ol çaganyň ady, ýaşy we ýurdy bilen çap edilip bilner. Hatdaky salgylanma "
    "arkaly 7 günüň dowamynda tassyklanmadyk arza pozulýar; men ony islän wagtym hatdaky salgylanma arkaly "
    "yzyna alyp bilerin, şonda hemme zat pozulýar. Ýeňmedik arzalaryň şahsy maglumatlary netijeler çap "
    "edilenden 90 gün soň pozulýar.",
    "uz": "Men bolaning ota-onasi yoki qonuniy vakiliman. Farzandimning ushbu tanlovda ishtirok etishiga va "
    "tashkilotchilar arizani (bolaning ismi, tugʻilgan sanasi, mamlakati, maktabi, rasmi va mening aloqa "
    "maʼlumotlarim) faqat tanlovni oʻtkazish uchun saqlashi va foydalanishiga roziman. Agar rasm gʻolib boʻlsa "
    "va men quyida ruxsat bersam, u bolaning ismi, yoshi va mamlakati bilan eʼlon qilinishi mumkin. Xatdagi "
    "havola orqali 7 kun ichida tasdiqlanmagan ariza oʻchiriladi; men uni istalgan vaqtda xatdagi havola orqali "
    "qaytarib olishim mumkin, shunda hammasi oʻchiriladi. Gʻolib boʻlmagan arizalarning shaxsiy maʼlumotlari "
    "natijalar eʼlon qilinganidan 90 kun oʻtgach oʻchiriladi.",
    "uz-cyrl": "Мен боланинг ота-онаси ёки қонуний вакилиман. Фарзандимнинг ушбу танловда иштирок этишига ва "
    "ташкилотчилар аризани (боланинг исми, туғилган санаси, мамлакати, мактаби, расми ва менинг алоқа "
    "маълумотларим) фақат танловни ўтказиш учун сақлаши ва фойдаланишига розиман. Агар расм ғолиб бўлса ва мен "
    "қуйида рухсат берсам, у боланинг исми, ёши ва мамлакати билан эълон қилиниши мумкин. Хатдаги ҳавола "
    "орқали 7 кун ичида тасдиқланмаган ариза ўчирилади; мен уни исталган вақтда хатдаги ҳавола орқали "
    "қайтариб олишим мумкин, шунда ҳаммаси ўчирилади. Ғолиб бўлмаган аризаларнинг шахсий маълумотлари "
    "натижалар эълон қилинганидан 90 кун ўтгач ўчирилади.",
}


class Command(RegionalDemo, BaseCommand):
    help = "Create the demo contests, accounts and entries (from --images DIR) unless they exist."

    def add_arguments(self, parser):
        parser.add_argument("--images", type=Path, help="folder of drawings to enter (JPEG/PNG)")
        parser.add_argument("--per-contest", type=int, default=24, help="entries per demo contest (default 24)")

    def handle(self, *args, images=None, per_contest=24, **options):
        files = []
        if images:
            if not images.is_dir():
                raise CommandError(f"{images} is not a folder")
            files = sorted(p for p in images.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        accounts = self._accounts()
        rng = random.Random(20260516)
        now = timezone.now()

        finished, created = self._contest(
            slug="borders-2025",
            texts=contest_texts(year=2025),
            opens_at=now - dt.timedelta(days=60),
            closes_at=now + dt.timedelta(days=1),
        )
        if created:
            # The first drawings of the folder include landscape sheets: the
            # gallery then shows drawings of several proportions.
            entries = self._enter(finished, files[:per_contest], rng, render_now=True)
            Contest.objects.filter(pk=finished.pk).update(
                opens_at=now - dt.timedelta(days=60), closes_at=now - dt.timedelta(days=30)
            )
            self._judge_and_publish(finished, entries, accounts, rng)
            ranked = [row.entry_id for block in selectors.contest_ranking(contest=finished) for row in block.rows]
            on_ballot = seed_peoples_choice(contest=finished, entry_ids_by_rank=ranked, now=now)
            self.stdout.write(
                f"Finished demo contest with {len(entries)} entries, results published; "
                f"{on_ballot} on the people's choice ballot, voting open."
            )

        open_contest, created = self._contest(
            slug="borders-2026",
            texts=contest_texts(year=2026),
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=30),
        )
        if created:
            entries = self._enter(open_contest, files[per_contest : 2 * per_contest], rng, render_now=False)
            judging_services.judge_assign(contest=open_contest, judge=accounts["judge"])
            self.stdout.write(f"Open demo contest with {len(entries)} entries queued for the worker.")
        self._organize(accounts["organizer"], [finished, open_contest])
        # The regional contest's rounds take the drawings after the two contests'.
        regional_files = files[2 * per_contest:] or files
        self._regional(regional_files, rng, accounts)

    def _organize(self, organizer, contests):
        """The demo organizer organizes the demo contests (the organizer
        role, given once) and may create contests (`contest.add_contest`)."""
        organizer.user_permissions.add(Permission.objects.get(content_type__app_label="contest", codename="add_contest"))
        for contest in contests:
            if not ContestRole.objects.filter(contest=contest, user=organizer, role=ContestRole.Role.ORGANIZER).exists():
                contest_services.role_grant(contest=contest, user=organizer, role=ContestRole.Role.ORGANIZER)

    def _accounts(self):
        User = get_user_model()
        path = Path(settings.BASE_DIR) / "var" / "demo-accounts.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        users = {}
        lines = []
        # Neither is staff: the organizer works in /organize/ by their roles
        # (the admin is for superusers).
        for username, label in (("organizer", "Organizer"), ("judge", "Judge"), *REGIONAL_ACCOUNTS.items()):
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(9)
                user = User.objects.create_user(username=username, password=password)
                lines.append(f"{label} account:  {username} / {password}")
            users[username] = user
        if lines:
            # Added to the accounts of an earlier run (their passwords are not kept elsewhere).
            earlier = path.read_text() if path.exists() and len(lines) < len(users) else ""
            path.write_text(earlier + "\n".join(lines) + "\n")
        return users

    def _contest(self, *, slug, texts, opens_at, closes_at):
        """The demo contest `slug` and whether it was created now. `texts`:
        language code -> {"title", "theme", "rules"} (`demo_content.contest_texts`);
        English is the contest's own (default) language. An existing
        contest keeps its rows; texts and category names it lacks in a
        language are added."""
        contest = Contest.objects.filter(slug=slug).first()
        if contest:
            self._content(contest, texts)
            self._retitle(contest)
            return contest, False
        default = texts[settings.LANGUAGE_CODE]
        with transaction.atomic():
            contest = Contest.objects.create(
                slug=slug,
                title=default["title"],
                theme=default["theme"],
                rules=default["rules"],
                timezone="Asia/Bishkek",
                # The contest's own text is the one in its default language.
                consent_text=CONSENT_TEXTS["en"],
                opens_at=opens_at,
                closes_at=closes_at,
                age_reference_date=closes_at.date(),
            )
            for names, lo, hi in CATEGORIES:
                AgeCategory.objects.create(contest=contest, name=names[settings.LANGUAGE_CODE], min_age=lo, max_age=hi)
            self._content(contest, texts)
            for order, (name, weight, max_points) in enumerate(CRITERIA):
                Criterion.objects.create(contest=contest, name=name, weight=weight, max_points=max_points, order=order)
            # Before any entry, so every demo entry records the version and language it was shown.
            ConsentText.objects.bulk_create(
                ConsentText(contest=contest, language=code, version=contest.consent_version, text=text)
                for code, text in CONSENT_TEXTS.items()
            )
        return contest, True

    def _content(self, contest, texts):
        """The contest's title, theme and rules in every language but its
        default one (a `ContestTranslation` each), and its age categories'
        names (matched by their ages); nothing already there is changed."""
        for code, fields in texts.items():
            if code != contest.default_language:
                ContestTranslation.objects.get_or_create(contest=contest, language=code, defaults=fields)
        bands = {(lo, hi): names for names, lo, hi in CATEGORIES}
        for category in contest.age_categories.all():
            names = bands.get((category.min_age, category.max_age))
            if names and not category.names:
                category.names = {code: name for code, name in names.items() if code != contest.default_language}
                category.save(update_fields=["names"])

    def _retitle(self, contest):
        """The demo's own drawings that an earlier version titled in
        English (a title of `LEGACY_TITLES`, a demo guardian's address) get
        the title and description of their country's language."""
        legacy = Entry.objects.filter(
            contest=contest, title__in=LEGACY_TITLES, guardian_email__regex=r"^guardian[0-9]+@example\.org$"
        )
        changed = 0
        for entry in legacy.only("pk", "title", "description", "country"):
            titles = ENTRY_TITLES.get(entry.country)
            if titles:
                described = entry.description == LEGACY_DESCRIPTION
                changed += Entry.objects.filter(pk=entry.pk).update(
                    title=titles[LEGACY_TITLES.index(entry.title) % len(titles)],
                    description=ENTRY_DESCRIPTIONS[entry.country] if described else entry.description,
                )
        if changed:
            transaction.on_commit(lambda: contest_services.public_cache_clear(contest_id=contest.pk))

    def _enter(self, contest, files, rng, *, render_now):
        entries = []
        ages = itertools.cycle(range(6, 18))
        countries = itertools.cycle(contest.countries)
        policy = contest_services.upload_policy(contest=contest)
        for i, path in enumerate(files):
            age = next(ages)
            country = next(countries)
            ref = contest.age_reference_date
            birth = ref.replace(year=ref.year - age) - dt.timedelta(days=rng.randint(1, 300))
            with path.open("rb") as fh:
                try:
                    info = imaging.inspect(fh, policy)
                except imaging.ImageRejected as exc:
                    self.stderr.write(f"skipped {path.name}: {exc.reason}")
                    continue
                fh.seek(0)
                # The family writes in its country's language.
                titles = ENTRY_TITLES[country]
                data = contest_services.Submission(
                    child_first_name=rng.choice(FIRST_NAMES[country]),
                    child_last_name=rng.choice(LAST_NAMES),
                    child_birth_date=birth,
                    country=country,
                    region=REGIONS[country],
                    school=f"School No. {rng.randint(1, 90)}",
                    title=titles[(i // len(contest.countries)) % len(titles)],
                    description=ENTRY_DESCRIPTIONS[country],
                    guardian_name=rng.choice(GUARDIAN_NAMES[country]),
                    guardian_email=f"guardian{i + 1}@example.org",
                    consent=True,
                    publish_consent=i % 7 != 3,
                )
                try:
                    with transaction.atomic():
                        entry = contest_services.entry_submit(
                            contest=contest, data=data, image=File(fh, name=path.name), image_info=info,
                            language=COUNTRY_LANGUAGES[country],
                            send_receipt=False,
                        )
                except Exception as exc:  # e.g. the same drawing twice in the folder
                    self.stderr.write(f"skipped {path.name}: {exc}")
                    continue
            if render_now:
                renditions.entry_renditions_generate(entry_id=entry.pk)
            entries.append(entry)
        # The demo guardians confirmed by their links long ago.
        Entry.objects.filter(pk__in=[e.pk for e in entries]).update(
            guardian_confirmed_at=timezone.now(), moderation_status=Entry.Moderation.APPROVED
        )
        return entries

    def _judge_and_publish(self, contest, entries, accounts, rng):
        """Two judges score every entry so that each category has a clear
        order (no ties left to the organizer), entries whose guardian agreed
        to publication first; the top three of each category get the awards
        and the results are published (the publication checklist is clear)."""
        User = get_user_model()
        judges = [accounts["judge"]]
        second = User.objects.filter(username="judge2").first() or User.objects.create_user(
            username="judge2", password=secrets.token_urlsafe(12)
        )
        judges.append(second)
        # Two judges on this panel, so two score sheets make an entry complete.
        JudgingSettings.objects.update_or_create(contest=contest, defaults={"min_judges": len(judges)})
        criteria = list(contest.criteria.all())
        ready = list(
            Entry.objects.filter(pk__in=[e.pk for e in entries], processing_status=Entry.Processing.READY)
            .order_by("age_category_id", "-publish_consent", "id")
        )
        position = {}  # entry id -> its index within its age category
        for _category, group in itertools.groupby(ready, key=lambda e: e.age_category_id):
            for k, entry in enumerate(group):
                position[entry.pk] = k
        for j, judge in enumerate(judges):
            judging_services.judge_assign(contest=contest, judge=judge)
            for entry in ready:
                k = position[entry.pk]
                # Strictly falling with the entry's place in its category, for each judge.
                points = {
                    c.id: Decimal(max(0, min(c.max_points, c.max_points - k - (i + j) % 2)))
                    for i, c in enumerate(criteria)
                }
                points[criteria[0].id] = Decimal(max(0, criteria[0].max_points - k))
                judging_services.score_sheet_submit(judge=judge, entry=entry, points=points)
        awards = {}
        for block in selectors.contest_ranking(contest=contest):
            for place, row in enumerate(block.rows[:3], start=1):
                awards[(block.category.id, place)] = row.entry_id
        judging_services.awards_set(contest=contest, awards=awards, actor=accounts["organizer"])
        # A 4th place and a named special award, for drawings whose guardian
        # agreed to publication (the checklist stays clear).
        jury = judging_services.special_award_create(
            contest=contest, name="Jury prize", names=JURY_PRIZE_NAMES, actor=accounts["organizer"]
        )
        consented = set(Entry.objects.filter(contest=contest, publish_consent=True).values_list("pk", flat=True))
        for block in selectors.contest_ranking(contest=contest):
            for place, row in enumerate(block.rows[3:5], start=4):
                if row.entry_id in consented:
                    judging_services.entry_awards_set(
                        contest=contest, entry_id=row.entry_id, place=4 if place == 4 else None,
                        special_award_ids=[jury.pk] if place == 5 else [], actor=accounts["organizer"],
                    )
        judging_services.results_publish(contest=contest, actor=accounts["organizer"])
