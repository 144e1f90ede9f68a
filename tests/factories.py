import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from assessments.models import Option, Question
from assessments.services import acknowledge
from cycles.models import Cycle
from directory.models import Department
from guidance.models import GuidanceVersion, Principle, Section, SectionRead
from portal.models import User


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    name_cy = factory.Sequence(lambda n: f"Adran {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    staff_number = factory.Sequence(lambda n: f"S{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.gov.wales")
    department = factory.SubFactory(DepartmentFactory)
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n % 6 + 1)
    slug_en = factory.LazyAttribute(lambda p: f"principle-{p.number}")
    slug_cy = factory.LazyAttribute(lambda p: f"egwyddor-{p.number}")
    name_en = factory.LazyAttribute(lambda p: f"Principle {p.number}")
    name_cy = factory.LazyAttribute(lambda p: f"Egwyddor {p.number}")
    summary_en = "Summary"
    summary_cy = "Crynodeb"


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceVersion

    number = factory.Sequence(lambda n: n + 1)
    change_summary_en = "A change"
    change_summary_cy = "Newid"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(VersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    slug_en = factory.Sequence(lambda n: f"section-{n}")
    slug_cy = factory.Sequence(lambda n: f"adran-{n}")
    title_en = factory.Sequence(lambda n: f"Section {n}")
    title_cy = factory.Sequence(lambda n: f"Adran {n}")
    body_en = "Some guidance text."
    body_cy = "Rhywfaint o destun canllaw."


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    # Far-off years, so a generated name never meets a test's own ("2026–27") in one test, whatever ran before.
    name = factory.Sequence(lambda n: f"{2100 + n}–{(1 + n) % 100:02d}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    due_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=12, day=31))
    is_current = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"question-{n}")
    principle = factory.SubFactory(PrincipleFactory)
    prompt_en = factory.Sequence(lambda n: f"Scenario {n}: what should you do?")
    prompt_cy = factory.Sequence(lambda n: f"Senario {n}: beth ddylech chi ei wneud?")
    is_active = True

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if not create:
            return
        for order in range(1, 4):
            Option.objects.create(
                question=self,
                order=order,
                is_correct=order == 1,
                text_en=f"Answer {order}",
                text_cy=f"Ateb {order}",
                feedback_en=f"Because {order}",
                feedback_cy=f"Oherwydd {order}",
            )


def read_guidance(*, user, cycle, version) -> None:
    """Open every page of ``version`` in ``cycle``, as a reader does before confirming (see assessments/reading.py)."""
    SectionRead.objects.bulk_create(
        [SectionRead(user=user, cycle=cycle, section=section) for section in version.sections.all()],
        ignore_conflicts=True,
    )


def acknowledge_after_reading(*, user, cycle, version, language):
    """The declaration as a person makes it: having read the guidance first."""
    read_guidance(user=user, cycle=cycle, version=version)
    return acknowledge(user=user, cycle=cycle, version=version, language=language)
