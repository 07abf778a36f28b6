"""Plain factories for contest data."""

import datetime as dt
import io

import factory
from django.utils import timezone
from PIL import Image

from contest.models import AgeCategory, Contest, Entry, Rendition


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


def published_winner(contest, *, place=1, category=None, **kwargs):
    """An awarded, consented entry with a card and a display rendition."""
    entry = EntryFactory(contest=contest, award=place, age_category=category or contest.age_categories.first(), **kwargs)
    for kind in ("card", "card2x", "display"):
        RenditionFactory(entry=entry, kind=kind)
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
