"""What the registry tells later apps about writes that bypass the models' save signals.

cooperatives_changed: sent after a bulk write (bulk_create, bulk_update, update()) touching
organisations or their dated rows, by whichever app wrote them, with `ids` (the
organisations' pks) and `since` (the first year whose data changed; None: any year). The
indicators listen, to rewrite their tally (hoptac.indicators.tally.marking).
"""

from django.dispatch import Signal

cooperatives_changed = Signal()
