"""The tally: the indicators' figures added up in advance, by year and by commune, province
and country (models.Tally), so that a province's or the country's dashboard reads a few
hundred rows instead of every HTX.

- grains.py: which groups are kept and which grain answers a question (pure data);
- building.py: writes the rows from the sources' own queries (`build`), and rewrites the
  communes marked changed (`refresh`);
- marking.py: marks the 2025 commune of every organisation whose data changes, in the
  changing transaction, and refreshes after the commit;
- reading.py: answers a source's question from the tally when it can answer exactly, else
  None (then sources.choosing reads the live tables).
"""
