"""What the reports app tells other apps, without knowing them (ratings listens).

report_approved: sent inside the approving transaction, with `report` (the approved version)
and `by` (the officer, or None for the system), after the report is saved.
"""

from django.dispatch import Signal

report_approved = Signal()
