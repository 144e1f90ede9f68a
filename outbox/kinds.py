"""What each kind of background job is, told to the outbox by the app that owns the work (in its AppConfig.ready),
so the outbox runs jobs and shows their progress without knowing what they do or importing the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class JobKind:
    # fn(job, progress) -> outcome dict; runs in the worker with the job's language active.
    handler: Callable[[Any, Callable[[int, int], None]], dict]
    permission: str  # the person must still hold it to see the job and its file
    working_title: "StrOrPromise"
    done_title: "StrOrPromise"
    # The kind's own words on the progress page, included with ``part`` "working", "done" or "failed".
    template: str
    return_to: str  # URL name of the page the person came from ("Back", "Try again")
    one_transaction: bool = False  # the work and its "done" are saved together: a write, not a download
    content_type: str = ""  # of the file the job makes, if it makes one


_KINDS: dict[str, JobKind] = {}


def register(kind: str, job_kind: JobKind) -> None:
    _KINDS[kind] = job_kind


def kind_of(kind: str) -> JobKind:
    """The registered kind; a job whose app is not installed has none, and the worker fails it (a KeyError)."""
    return _KINDS[kind]
