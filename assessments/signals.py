"""What the assessments tell the apps above them, which they never import.

``declaration_recorded`` (``declaration=``) is sent inside the transaction that writes a person's declaration: a
receiver that raises undoes it, so the evidence kept about a declaration exists exactly when the declaration does.
"""

from django.dispatch import Signal

declaration_recorded = Signal()
