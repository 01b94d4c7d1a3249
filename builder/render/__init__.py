"""Renderers: the generated docs tree that mkdocs turns into the site."""
