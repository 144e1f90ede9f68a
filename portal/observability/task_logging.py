"""The worker's tasks get an id of their own in the logs, as requests do: the task result's id."""

from contextvars import Token

from django_tasks.signals import task_finished, task_started

from .context import request_id

_tokens: dict[str, Token[str]] = {}


def _started(sender, task_result, **kwargs):
    _tokens[task_result.id] = request_id.set(f"task-{task_result.id}")


def _finished(sender, task_result, **kwargs):
    token = _tokens.pop(task_result.id, None)
    if token is not None:
        request_id.reset(token)


def connect() -> None:
    task_started.connect(_started, dispatch_uid="observability-task-started")
    task_finished.connect(_finished, dispatch_uid="observability-task-finished")
