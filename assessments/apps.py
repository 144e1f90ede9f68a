from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Scenario questions and acknowledgements")

    def ready(self):
        from guidance import readers
        from guidance.signals import publishing_previewed, version_published

        from .new_version import consequence_of_publishing, tell_when_published
        from .selectors import ReaderProgress

        readers.register(ReaderProgress())

        def previewed(sender, *, version, **kwargs):
            return consequence_of_publishing(version=version)

        def published(sender, *, version, **kwargs):
            tell_when_published(version=version)

        publishing_previewed.connect(previewed, weak=False, dispatch_uid="assessments-publish-consequence")
        version_published.connect(published, weak=False, dispatch_uid="assessments-tell-when-published")
