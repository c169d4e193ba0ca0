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


def test_options_are_escaped_and_keep_their_attributes() -> None:
    class Odd(forms.Form):
        pick = forms.ChoiceField(
            choices=[('say "hi"', "Tom & Jerry <b>"), ("x", "X")],
            widget=forms.RadioSelect(attrs={"small": True, "data-note": "a'b", "required": True}),
        )

    html = str(Odd(initial={"pick": 'say "hi"'}))
    assert (
        '<div class="ds_radio ds_radio--small">\n'
        '<input class="ds_radio__input" type="radio" name="pick" id="id_pick_0"'
        ' value="say &quot;hi&quot;" checked data-note="a&#x27;b">\n'
        '<label class="ds_radio__label" for="id_pick_0">Tom &amp; Jerry &lt;b&gt;</label>\n'
        "</div>"
    ) in html
    assert 'value="x" data-note' in html and "required" not in html.split("ds_radios")[1]
