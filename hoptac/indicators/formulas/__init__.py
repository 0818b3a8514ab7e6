"""Pure indicator arithmetic: no Django, no database, no clock.

The selectors aggregate the database into plain rows (dicts of group keys and sums); these
functions turn the rows into numbers (aggregate.py), read the indicator definitions
(definitions.py), and write numbers and sentences the way Vietnamese offices do (wording.py).
"""
