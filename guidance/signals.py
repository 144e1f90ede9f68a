"""What the guidance tells the apps above it, which it never imports.

``version_published`` (``version=``) is sent inside the publishing transaction: a receiver that raises undoes the
publish, so whatever the apps above keep about a version (the evidence chain, the "confirm again" emails) exists
exactly when it is published.

``publishing_previewed`` (``version=``) is sent when an editor opens the publish page: a receiver may answer with what
publishing will do to people (an object with ``template_name``, the part of the page that says so, and ``affected``,
how many people will have to confirm again), shown in both languages before the editor publishes.
"""

from django.dispatch import Signal

version_published = Signal()
publishing_previewed = Signal()
