"""Search: one ranking, two runtimes.

- :mod:`~builder.search.index` writes the whoosh index (schema, documents, related pages);
  :mod:`~builder.search.store` keeps its generations; :mod:`~builder.search.worker` writes it
  in a second process during a build.
- :mod:`~builder.search.engine` answers ``portal search``; :mod:`~builder.search.fields` holds
  the fields and boosts; :mod:`~builder.search.matchers` keeps whoosh's private internals.
- :mod:`~builder.search.export` writes what the browser engine
  (``assets/javascripts/portal-search-engine.js``) needs into ``site/search/``: the same
  postings, lengths, idf, synonyms and spelling table, so the site ranks as the CLI.

Nothing is imported here, so that importing one module does not load the others.
"""
