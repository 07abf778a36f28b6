"""Plain factories for contest data."""

import datetime as dt
import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from contest.models import AgeCategory, Contest, Entry, Rendition, SpecialAward, Teacher, Vote
from contest.services import RoundPlan, national_rounds_create


def jpeg_bytes(width=640, height=480, color=(200, 80, 40)):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "JPEG", quality=85)
    return buf.getvalue()


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"People of the border {n}")
    slug = factory.Sequence(lambda n: f"border-{n}")
    theme = "Draw the people who work at the border."
    rules = "One drawing per child."
    timezone = "Asia/Bishkek"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    age_reference_date = factory.LazyFunction(lambda: timezone.localdate())

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if not create:
            return
        bands = extracted if extracted is not None else [("6-9", 6, 9), ("10-13", 10, 13), ("14-17", 14, 17)]
        for name, lo, hi in bands:
            AgeCategory.objects.create(contest=obj, name=name, min_age=lo, max_age=hi)


class AgeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgeCategory

    contest = factory.SubFactory(ContestFactory, categories=[])
    name = factory.Sequence(lambda n: f"Band {n}")
    min_age = 6
    max_age = 9


def _birth_date_for(contest, age):
    ref = contest.age_reference_date
    return ref.replace(year=ref.year - age) - dt.timedelta(days=30)


class EntryFactory(factory.django.DjangoModelFactory):
    """An entry as if already submitted and confirmed by the guardian;
    `processing_status` and `moderation_status` default to ready and
    approved (judgeable). Pass `guardian_confirmed_at=None` for an
    unconfirmed one (then also a pending moderation status)."""

    class Meta:
        model = Entry

    contest = factory.SubFactory(ContestFactory)
    age_category = factory.LazyAttribute(lambda o: o.contest.age_categories.order_by("min_age").first())
    # Four characters, a dash, four: the shape `reference_normalize` keeps.
    reference = factory.Sequence(lambda n: f"T{n // 10000:03d}-{n % 10000:04d}")
    child_first_name = factory.Faker("first_name")
    child_last_name = factory.Sequence(lambda n: f"Lastname{n}zq")
    child_age = factory.LazyAttribute(lambda o: o.age_category.min_age)
    child_birth_date = factory.LazyAttribute(lambda o: _birth_date_for(o.contest, o.child_age))
    country = "KG"
    region = "Osh"
    school = factory.Sequence(lambda n: f"School No. {n} zq")
    title = factory.Sequence(lambda n: f"Guard at the pass {n}")
    description = "A border guard with a dog."
    guardian_name = factory.Faker("name")
    guardian_email = factory.Sequence(lambda n: f"guardian{n}@example.org")
    consent_version = "1"
    consent_given_at = factory.LazyFunction(timezone.now)
    publish_consent = True
    guardian_relationship = Entry.Relationship.MOTHER
    # Factory entries are as if the guardian had confirmed by the link.
    guardian_confirmed_at = factory.LazyFunction(timezone.now)
    original = factory.django.FileField(filename="upload.jpg", data=factory.LazyFunction(jpeg_bytes))
    original_format = "JPEG"
    original_width = 640
    original_height = 480
    processing_status = Entry.Processing.READY
    moderation_status = Entry.Moderation.APPROVED


class RenditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rendition

    entry = factory.SubFactory(EntryFactory)
    kind = "card"
    format = "jpeg"
    file = factory.django.FileField(filename="card.jpg", data=factory.LazyFunction(lambda: jpeg_bytes(400, 300)))
    width = 400
    height = 300
    bytes = factory.LazyAttribute(lambda o: o.file.size)


class VoteFactory(factory.django.DjangoModelFactory):
    """An unconfirmed vote for `entry` (pass `confirmed_at` for a counted one)."""

    class Meta:
        model = Vote

    entry = factory.SubFactory(EntryFactory, shortlisted=True)
    contest = factory.LazyAttribute(lambda o: o.entry.contest)
    age_category = factory.LazyAttribute(lambda o: o.entry.age_category)
    email = factory.Sequence(lambda n: f"voter{n}@example.org")
    email_key = factory.LazyAttribute(lambda o: o.email.lower())
    language = "en"
    network = "203.0.113.0/24"


def ballot_contest(*, per_category=2, **kwargs):
    """A contest whose people's choice window is open (it opened an hour
    ago and closes in a day), with `per_category` shortlisted entries in
    each of its 3 age categories, each with its card renditions."""
    now = timezone.now()
    contest = ContestFactory(
        peoples_choice=True, vote_opens_at=now - dt.timedelta(hours=1), vote_closes_at=now + dt.timedelta(days=1),
        **kwargs,
    )
    for category in contest.age_categories.all():
        for _n in range(per_category):
            entry = EntryFactory(contest=contest, age_category=category, shortlisted=True)
            for kind in ("card", "card2x"):
                RenditionFactory(entry=entry, kind=kind)
    return contest


def published_winner(contest, *, place=1, category=None, **kwargs):
    """An awarded, consented entry with a card and a display rendition."""
    entry = EntryFactory(contest=contest, award=place, age_category=category or contest.age_categories.first(), **kwargs)
    for kind in ("card", "card2x", "display"):
        RenditionFactory(entry=entry, kind=kind)
    return entry


# The pipeline's rendition sizes of an upright A4 drawing (width, height).
A4_RENDITION_SIZES = {"card": (400, 566), "card2x": (800, 1132), "display": (1131, 1600)}
BLURHASH = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"


def gallery_contest(*, per_category=16):
    """A contest whose results are published, with `per_category` winners
    in each of its 3 age categories (places 1 to 12, the rest a special
    award only), each with every rendition in both formats, a placeholder,
    and a title, description and first name in Cyrillic: a real
    contest's gallery (48 drawings by default)."""
    contest = ContestFactory(
        opens_at=timezone.now() - dt.timedelta(days=60), closes_at=timezone.now() - dt.timedelta(days=30),
    )
    contest.results_published_at = timezone.now()
    contest.save()
    jury = SpecialAward.objects.create(contest=contest, name="Jury prize", names={"ru": "Приз жюри"})
    image = ContentFile(jpeg_bytes(8, 6), name="r.jpg")
    for category in contest.age_categories.all():
        for i in range(per_category):
            entry = EntryFactory(
                contest=contest, age_category=category, award=i + 1 if i < 12 else None,
                title=f"Пограничники на перевале {i}", description="Чек арабызды коргогон адамдар жөнүндө сүрөт.",
                child_first_name="Айгерим", placeholder=BLURHASH, dominant_color="#a05030",
            )
            for kind, (width, height) in A4_RENDITION_SIZES.items():
                for fmt in ("jpeg", "webp"):
                    RenditionFactory(entry=entry, kind=kind, format=fmt, width=width, height=height, file=image)
            if i >= 12:
                jury.entries.add(entry)
    return contest


# Drawings as children make them: A4 upright and sideways, square, and a
# long strip (width, height of the upright original, px).
PORTRAIT, LANDSCAPE, SQUARE, WIDE = (2480, 3508), (3508, 2480), (2000, 2000), (3000, 1400)
_PALETTES = [
    ((135, 196, 235), (110, 170, 80), (235, 90, 60)),
    ((250, 214, 150), (190, 140, 90), (40, 90, 160)),
    ((190, 225, 210), (90, 140, 120), (200, 60, 120)),
    ((230, 230, 245), (120, 120, 170), (230, 160, 20)),
]


def drawing_bytes(width, height, *, fmt="JPEG", seed=0) -> bytes:
    """A picture in the manner of a child's drawing (sky, ground, sun, a
    person at a gate) of `width` x `height` px, with a dark line along all
    four edges of the sheet, so any crop shows; `fmt` is a Pillow format."""
    sky, ground, accent = _PALETTES[seed % len(_PALETTES)]
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    unit = min(width, height)
    draw.rectangle([0, height * 2 // 3, width, height], fill=ground)
    draw.ellipse([width - unit // 3, unit // 12, width - unit // 12, unit // 3], fill=(250, 200, 40))
    x, y = width // 2, height * 2 // 3
    draw.rectangle([x - unit // 10, y - unit // 3, x + unit // 10, y], fill=accent)
    draw.ellipse([x - unit // 14, y - unit // 2, x + unit // 14, y - unit // 3], fill=(240, 200, 170))
    draw.rectangle([unit // 12, y - unit // 4, unit // 12 + unit // 20, y], fill=(80, 60, 40))
    draw.line([unit // 12, y - unit // 4, x - unit // 8, y - unit // 4], fill=(200, 30, 30), width=max(2, unit // 60))
    edge = max(2, unit // 80)
    draw.rectangle([0, 0, width - 1, height - 1], outline=(30, 30, 50), width=edge)
    buf = io.BytesIO()
    # method 0: WebP's fastest encoder (a test's seed data, not the portal's files).
    image.save(buf, fmt, quality=80, **({"method": 0} if fmt == "WEBP" else {}))
    return buf.getvalue()


def rendition_sizes(size) -> dict:
    """{kind: (width, height)} of the public renditions the pipeline makes
    of an upright original of `size` (w, h): card 400 px wide, card2x 800 px
    wide, display 1200 px on the long side; fitted, never cropped nor
    upscaled (`contest.imaging.DEFAULT_SPECS`)."""
    width, height = size

    def fit(scale):
        scale = min(scale, 1)
        return max(1, round(width * scale)), max(1, round(height * scale))

    return {"card": fit(400 / width), "card2x": fit(800 / width), "display": fit(1200 / max(width, height))}


def drawing_winner(contest, *, size=PORTRAIT, place=1, category=None, seed=0, **kwargs):
    """A published-winner entry of `contest` (the age category's first by
    default) whose card, card2x and display renditions, JPEG and WebP, are
    real pictures of the sizes the pipeline gives an original of `size`."""
    entry = EntryFactory(contest=contest, award=place, age_category=category or contest.age_categories.first(),
                         original_width=size[0], original_height=size[1], **kwargs)
    for kind, (width, height) in rendition_sizes(size).items():
        for fmt, pil, ext in (("jpeg", "JPEG", "jpg"), ("webp", "WEBP", "webp")):
            data = drawing_bytes(width, height, fmt=pil, seed=seed)
            RenditionFactory(entry=entry, kind=kind, format=fmt, width=width, height=height,
                             file=ContentFile(data, name=f"{kind}.{ext}"), bytes=len(data))
    return entry


# Personal data no judge or public page may show: marked values ("qx") that
# cannot occur in a page by chance, spread over an entry with `**`.
PRIVATE_CHILD_DATA = {
    "child_first_name": "Zhyldyzqx",
    "child_last_name": "Toktogulovaqx",
    "school": "Gymnasium No. 947 qx",
    "guardian_name": "Aibekqx Guardianov",
    "guardian_email": "guardian-qx@example.org",
    "region": "Batkenqx",
}


def sheet_photo_bytes(width=1000, height=800) -> bytes:
    """A phone photo of a sheet on a dark table: the sheet, white, fills
    the middle half of the photo (corners at 25 % and 75 %), with a black
    and white checkerboard in its top-left quarter (pixels a mask visibly
    covers); the rest of the sheet is plain white."""
    image = Image.new("RGB", (width, height), (40, 35, 30))
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = width // 4, height // 4, width * 3 // 4, height * 3 // 4
    draw.rectangle([left, top, right, bottom], fill=(250, 250, 250))
    cell = max(4, (right - left) // 40)
    for y in range(top, top + (bottom - top) // 2, cell):
        for x in range(left, left + (right - left) // 2, cell):
            if ((x - left) // cell + (y - top) // cell) % 2:
                draw.rectangle([x, y, x + cell - 1, y + cell - 1], fill=(0, 0, 0))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def regional_contest(*, countries=("KZ", "KG", "TJ", "TM", "UZ"), **kwargs):
    """A regional final (a `ContestFactory` contest, `kwargs` its fields)
    with a national round per country of `countries`, each open over the
    final's window in its own zone: (final, {country code: round})."""
    final = ContestFactory(**kwargs)
    plans = [RoundPlan(country=code, opens_at=final.opens_at, closes_at=final.closes_at) for code in countries]
    return final, {r.country: r for r in national_rounds_create(contest=final, plans=plans)}


class TeacherUserFactory(factory.django.DjangoModelFactory):
    """A teacher's account: the e-mail address is the login."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"teacher{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password("teacher-password")


class TeacherFactory(factory.django.DjangoModelFactory):
    """A teacher with a verified address and an approved account (pass
    `approved_at=None` for one waiting, also `email_verified_at=None` for
    one who has not opened the link)."""

    class Meta:
        model = Teacher

    user = factory.SubFactory(TeacherUserFactory)
    full_name = factory.Faker("name")
    school = factory.Sequence(lambda n: f"Art studio {n}")
    country = "KG"
    region = "Bishkek"
    language = "ru"
    email_verified_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyFunction(timezone.now)
