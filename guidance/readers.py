"""What the guidance pages say about the reader's own progress (whether they have passed this cycle's questions, the
version they last confirmed) is kept by the assessments, which stand above the guidance. They register how to ask
when the project starts (``AppConfig.ready``); until something registers, the pages say nothing about it."""

from typing import Protocol

from portal.models import User

from .models import GuidanceVersion


class ReaderProgress(Protocol):
    def has_passed_this_cycle(self, *, user: User) -> bool: ...

    def last_confirmed_version(self, *, user: User) -> GuidanceVersion | None: ...


class NothingKnown:
    def has_passed_this_cycle(self, *, user: User) -> bool:
        return False

    def last_confirmed_version(self, *, user: User) -> GuidanceVersion | None:
        return None


_progress: ReaderProgress = NothingKnown()


def register(progress: ReaderProgress) -> None:
    global _progress
    _progress = progress


def progress() -> ReaderProgress:
    return _progress
