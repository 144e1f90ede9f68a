"""Text as the portal keeps it: one line ending. Browsers send a textarea's line breaks as CRLF, translation tools and
directories may send CR or CRLF; every way text comes in (admin forms, XLIFF, SCIM, the staff import) passes it
through here, so an untouched text compares equal and a fingerprint taken over it matches the stored words."""

from django import forms


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class NormalisedTextForm(forms.ModelForm):
    """A model form whose every text value is stored with LF line endings, whatever the browser sent."""

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = normalise_newlines(value)
        return cleaned
