"""`{% module_preloads %}`: <link rel="modulepreload"> for the shared JavaScript modules.

The page's own module imports these; announced in the HTML, they are fetched
in the same round of requests as the page's module instead of one round later
each (import chains are at most two deep here).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html_join

register = template.Library()

MODULE_DIR = "web/js"
IMPORT = re.compile(
    r"""^\s*(?:import|export)\s[^'"]*?\bfrom\s*["']\./([\w.-]+\.js)["']""", re.MULTILINE
)


@functools.cache
def shared_modules() -> tuple[str, ...]:
    """The static paths of the modules that other modules of web/js import."""
    folder = finders.find(MODULE_DIR)
    if not folder:
        return ()
    imported: set[str] = set()
    for path in Path(folder).glob("*.js"):
        imported.update(IMPORT.findall(path.read_text(encoding="utf-8")))
    return tuple(f"{MODULE_DIR}/{name}" for name in sorted(imported))


@register.simple_tag
def module_preloads() -> str:
    return format_html_join(
        "\n", '<link rel="modulepreload" href="{}">', ((static(path),) for path in shared_modules())
    )
