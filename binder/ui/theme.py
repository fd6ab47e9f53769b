"""Light, night and high-contrast looks, and text zoom: one palette and two style sheets each.

The style sheets in assets/ are templates: `@name` is a colour of the theme in use, and `12zpt`
is a size that grows and shrinks with the text zoom (plain `pt` sizes stay as they are).
"""

from __future__ import annotations

import re

from PySide6 import QtCore
from PySide6.QtGui import QColor, QGuiApplication, QPalette

CHOICES = ("system", "light", "night", "contrast")
CHOICE_NAMES = {"system": "Follow the system", "light": "Light", "night": "Night (dim)",
                "contrast": "High contrast"}
ZOOM_STEPS = (70, 80, 90, 100, 110, 125, 150, 175, 200, 250)

# The colours the style sheets name, per theme. Night is dim, not inverted: no pure white, no
# pure black, and every text colour at least 4.5:1 against its background (text 10:1).
COLOURS = {
    "light": {
        "muted": "#5a5a5a", "rule": "#e4e4e4", "done_bg": "#eef6ee", "target_bg": "#fff6d5",
        "target_border": "#d89b00", "focus": "#1f5fa8", "banner_none_bg": "#e9e9e9",
        "banner_none_fg": "#333333", "live_bg": "#17365d", "live_fg": "#ffffff",
        "exercise_bg": "#b35900", "exercise_fg": "#ffffff", "closed_bg": "#6b6b6b",
        "closed_fg": "#ffffff", "correction": "#7a4b00", "selected_bg": "#cfe2f6",
        "selected_fg": "#000000", "th_bg": "#e8e8e8", "cell_border": "#b0b0b0",
        "link": "#0b4f8a", "external": "#6b3fa0", "broken": "#a00000", "code_bg": "#f0f0f0",
        "warning_bg": "#fff4d6", "warning_border": "#c8a24a", "error": "#a00000",
        "box_border": "#4a4a4a", "box_on": "#2e6b33", "box_na": "#5f5f5f",
        "menu_sel_bg": "#1f5fa8", "menu_sel_fg": "#ffffff", "hover_bg": "#e8f0fa",
    },
    "night": {
        "muted": "#a09f98", "rule": "#34373d", "done_bg": "#1e2b22", "target_bg": "#3a3219",
        "target_border": "#b08a2a", "focus": "#7fa7d4", "banner_none_bg": "#2a2d33",
        "banner_none_fg": "#c8c8c0", "live_bg": "#1d3654", "live_fg": "#dfe6ee",
        "exercise_bg": "#7d4312", "exercise_fg": "#f2e4d4", "closed_bg": "#45474b",
        "closed_fg": "#d6d6d0", "correction": "#d8b070", "selected_bg": "#2f4a66",
        "selected_fg": "#e8e8e2", "th_bg": "#2a2d33", "cell_border": "#4c4f57",
        "link": "#8fb8e0", "external": "#bca6e4", "broken": "#e89090", "code_bg": "#25282d",
        "warning_bg": "#3a3219", "warning_border": "#8a6d2a", "error": "#f09a9a",
        "box_border": "#a09f98", "box_on": "#3c7043", "box_na": "#5d5f64",
        "menu_sel_bg": "#6f93bd", "menu_sel_fg": "#121316", "hover_bg": "#262a30",
    },
    "contrast": {
        "muted": "#000000", "rule": "#000000", "done_bg": "#d8f5d8", "target_bg": "#ffff00",
        "target_border": "#000000", "focus": "#0000ff", "banner_none_bg": "#ffffff",
        "banner_none_fg": "#000000", "live_bg": "#000080", "live_fg": "#ffffff",
        "exercise_bg": "#ffff00", "exercise_fg": "#000000", "closed_bg": "#333333",
        "closed_fg": "#ffffff", "correction": "#000000", "selected_bg": "#000000",
        "selected_fg": "#ffffff", "th_bg": "#ffffff", "cell_border": "#000000",
        "link": "#0000cc", "external": "#551a8b", "broken": "#a00000", "code_bg": "#ffffff",
        "warning_bg": "#ffff00", "warning_border": "#000000", "error": "#a00000",
        "box_border": "#000000", "box_on": "#000000", "box_na": "#595959",
        "menu_sel_bg": "#000000", "menu_sel_fg": "#ffffff", "hover_bg": "#ffff00",
    },
}

# Palette roles per theme (light is the style's own palette).
PALETTES = {
    "night": {
        "Window": "#1e2024", "WindowText": "#c8c8c0", "Base": "#17191c",
        "AlternateBase": "#1e2024", "Text": "#c8c8c0", "Button": "#2a2d33",
        "ButtonText": "#c8c8c0", "Highlight": "#3d5a80", "HighlightedText": "#eeeee8",
        "ToolTipBase": "#2a2d33", "ToolTipText": "#c8c8c0", "PlaceholderText": "#85847e",
        "Link": "#8fb8e0", "LinkVisited": "#bca6e4", "BrightText": "#f09a9a",
        "Light": "#3a3d44", "Midlight": "#30333a", "Mid": "#26292e", "Dark": "#121316",
        "Shadow": "#000000",
    },
    "contrast": {
        "Window": "#ffffff", "WindowText": "#000000", "Base": "#ffffff",
        "AlternateBase": "#f0f0f0", "Text": "#000000", "Button": "#ffffff",
        "ButtonText": "#000000", "Highlight": "#000000", "HighlightedText": "#ffffff",
        "ToolTipBase": "#ffffff", "ToolTipText": "#000000", "PlaceholderText": "#333333",
        "Link": "#0000cc", "LinkVisited": "#551a8b", "BrightText": "#a00000",
        "Light": "#ffffff", "Midlight": "#ffffff", "Mid": "#000000", "Dark": "#000000",
        "Shadow": "#000000",
    },
}
DISABLED_TEXT = {"night": "#6c6b66", "contrast": "#595959"}

_ZOOMED = re.compile(r"(\d+(?:\.\d+)?)zpt\b")
_COLOUR = re.compile(r"@([a-z_]+)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def effective(choice: str, scheme: QtCore.Qt.ColorScheme | None = None) -> str:
    """The theme to show for a saved choice: 'system' follows the desktop's light or dark."""
    if choice in COLOURS:
        return choice
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    return "night" if scheme == QtCore.Qt.ColorScheme.Dark else "light"


def fill(template: str, theme: str, zoom: int = 100, assets: str = "") -> str:
    """A style sheet template with the theme's colours and the zoomed sizes put in."""
    colours = {**COLOURS[theme], "assets": assets.replace("\\", "/")}
    text = _COMMENT.sub("", template)
    text = _ZOOMED.sub(lambda m: f"{round(float(m.group(1)) * zoom / 100, 1):g}pt", text)
    return _COLOUR.sub(lambda m: colours.get(m.group(1), m.group(0)), text)


def palette(theme: str, base: QPalette) -> QPalette:
    """The theme's palette; light is `base`, the style's own (returned as it is: copying a
    palette makes PySide6 create Qt's whole namespace, which the first frame need not wait for)."""
    if theme not in PALETTES and theme not in DISABLED_TEXT:
        return base
    result = QPalette(base)
    for role, colour in PALETTES.get(theme, {}).items():
        result.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    if theme in DISABLED_TEXT:
        disabled = QColor(DISABLED_TEXT[theme])
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                     QPalette.ColorRole.ButtonText):
            result.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return result


def zoom_step(zoom: int, delta: int) -> int:
    """The next zoom step up (delta 1) or down (-1) from `zoom`; 0 resets to 100."""
    if delta == 0:
        return 100
    steps = ZOOM_STEPS if delta > 0 else ZOOM_STEPS[::-1]
    for step in steps:
        if (step > zoom) if delta > 0 else (step < zoom):
            return step
    return steps[-1]


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4
    c = QColor(colour)
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
