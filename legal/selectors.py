from .models import LegalPage


def legal_page(kind: str) -> LegalPage | None:
    return LegalPage.objects.filter(kind=kind).first()
