"""Checks on the dashboard files themselves, without a browser: catalogues and colours."""

import json
import pathlib
import re

DASHBOARD = pathlib.Path(__file__).resolve().parents[2] / "Sources" / "Web" / "Dashboard"


def test_both_catalogues_have_every_key_the_code_uses():
    english = json.loads((DASHBOARD / "i18n" / "en.json").read_text())
    portuguese = json.loads((DASHBOARD / "i18n" / "pt-BR.json").read_text())
    assert set(english) == set(portuguese)
    assert all(value.strip() for value in [*english.values(), *portuguese.values()])
    used = set()
    for script in DASHBOARD.rglob("*.js"):
        used |= set(re.findall(r"\bt\('([a-z_.-]+)'", script.read_text()))
    assert used, "no t('…') calls found"
    assert not used - set(english), f"keys missing from the catalogues: {sorted(used - set(english))}"


def _luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_audit_action_has_words_in_both_languages():
    source = (DASHBOARD.parents[1] / "Desk" / "Audit" / "AuditEntry.swift").read_text()
    actions = re.findall(r'AuditAction\("([a-z_.]+)"\)', source)
    assert len(actions) > 10
    for name in ("en.json", "pt-BR.json"):
        catalogue = json.loads((DASHBOARD / "i18n" / name).read_text())
        missing = [action for action in actions if f"audit.action.{action}" not in catalogue]
        assert not missing, f"{name} has no words for the audit actions {missing}"


def test_the_text_colours_of_the_stylesheet_meet_wcag_aa_contrast():
    css = (DASHBOARD / "app.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    white = "#ffffff"
    text_pairs = [  # (foreground, background) as used in app.css; text needs 4.5:1
        ("text", "surface"), ("text", "background"), ("muted", "surface"), ("muted", "background"),
        ("primary-dark", "surface"), ("primary-dark", "primary-soft"), ("error", "error-soft"),
        ("success", "success-soft"), ("error", "surface"),
    ]
    for foreground, background in text_pairs:
        ratio = _contrast(colours[foreground], colours[background])
        assert ratio >= 4.5, f"--{foreground} on --{background} is {ratio:.2f}:1"
    assert _contrast(white, colours["primary"]) >= 4.5, "button text on --primary"
    assert _contrast(colours["focus"], colours["surface"]) >= 3, "focus ring (non-text needs 3:1)"
