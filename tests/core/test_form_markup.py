"""Radios and checkboxes render in the design system's markup, each input exactly once checked."""

from __future__ import annotations

import re

from django import forms


class Choose(forms.Form):
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        choices=[("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")],
        widget=forms.CheckboxSelectMultiple,
    )


def test_a_chosen_radio_and_chosen_checkboxes_say_checked_once_each() -> None:
    html = str(Choose(initial={"colour": "blue", "days": ["mon", "wed"]}))
    inputs = re.findall(r"<input [^>]*>", html)
    checked = {
        re.search(r'value="([^"]+)"', tag).group(1): tag.count("checked")  # type: ignore[union-attr]
        for tag in inputs
    }
    assert checked == {"red": 0, "blue": 1, "mon": 1, "tue": 0, "wed": 1}
    assert 'class="ds_radio__input"' in html
