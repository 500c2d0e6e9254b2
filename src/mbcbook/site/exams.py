"""``hide_solutions: true`` for an exam: every solution leaves the web book, gated ones included.

sphinx-exercise's own ``hide_solutions`` drops a ``{solution}`` while the page is read, but not
the gated form (``{solution-start}`` ... ``{solution-end}``) that solutions with code cells use:
their cells would stay in the page, and the writer stops at the ``{solution-end}`` marker it
cannot write. So the book takes the setting over: sphinx-exercise builds every solution as usual
(the gated ones merged into one), and :class:`HideSolutions` then removes them all. The reader
notebooks follow the same setting (:mod:`.readers`).
"""

from __future__ import annotations

from sphinx.transforms import SphinxTransform


def take_over_hide_solutions(app, config) -> None:
    """``config-inited``: keep the book's ``hide_solutions`` for :class:`HideSolutions`, and build solutions.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application building the book.
    config : sphinx.config.Config
        Its configuration, changed in place.
    """
    if getattr(config, "hide_solutions", False):
        config.mbcbook_hide_solutions = True
        config.hide_solutions = False


class HideSolutions(SphinxTransform):
    """Remove every solution from a page when the book hides them."""

    # After sphinx-exercise merges a gated solution into one node (its transform has priority 10).
    default_priority = 20

    def apply(self, **kwargs) -> None:
        """Remove each solution node, gated or not, with all it holds."""
        if not self.config.mbcbook_hide_solutions:
            return
        from sphinx_exercise.nodes import solution_node

        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)
