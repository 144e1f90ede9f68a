"""What the directory tells the apps above it, which it never imports. A staff import writes people in bulk, which
sends no model signals, so once it has committed it says that many people changed (the HR figures listen)."""

from django.dispatch import Signal

staff_changed = Signal()


def announce_staff_changed() -> None:
    """Call with ``transaction.on_commit``: the receivers read what was committed."""
    staff_changed.send(sender=announce_staff_changed)
