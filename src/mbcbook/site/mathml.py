"""Math rendered to MathML at build time (latex2mathml), so that no page needs MathJax."""

from __future__ import annotations

from docutils import nodes


def _mathml(latex: str, display: str) -> str:
    from latex2mathml.converter import convert

    return convert(latex, display=display)


def visit_inline_math(self, node) -> None:
    """Write inline math as MathML (the HTML translator's visitor for ``math`` nodes)."""
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(_mathml(node.astext(), "inline"))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_block_math(self, node) -> None:
    """Write display math as MathML, with its equation number and link when it has one.

    The HTML translator's visitor for ``math_block`` nodes.
    """
    if node.get("nowrap") is False and node.get("number") is None and not node.astext().strip():
        raise nodes.SkipNode
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node.get("number"):
        number = self.builder.env.get_domain("math").get_equation_number_for(node["label"])
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    self.body.append(_mathml(node.astext(), "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode
