"""Okabe–Ito colours: told apart with every common colour-vision deficiency, and in greyscale print."""

from __future__ import annotations

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)

# What each lane is drawn in, so the image and the page agree.
LANE_COLOURS = {
    "touchpoints": BLUE,
    "thoughts": REDDISH_PURPLE,
    "emotion": BLACK,
    "pain_points": VERMILLION,
    "actions": BLUISH_GREEN,
}
ASSUMPTION = ORANGE  # the marker on themes that rest only on assumptions
