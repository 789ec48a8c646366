import pytest

GREEN_REVOLUTION = """The Green Revolution

From the 1940s onwards, plant breeders developed high-yielding varieties of wheat and rice. \
Norman Borlaug, working in Mexico, bred dwarf wheat that could carry heavy heads of grain \
without falling over. These varieties needed fertiliser and irrigation to give their best \
yields. By the 1960s they had spread to India and Pakistan, where harvests rose sharply. \
Critics argued that the new seeds favoured richer farmers who could afford fertiliser, pumps \
and credit.

In India the Punjab became the centre of the change. Between 1965 and 1972 wheat production \
in India almost doubled. The government supported farmers with guaranteed prices and \
subsidised electricity for pumping groundwater. Over later decades the water table in parts \
of the Punjab fell steadily, and soils lost organic matter. Borlaug received the Nobel Peace \
Prize in 1970 for his work against hunger.
"""


@pytest.fixture
def green_revolution() -> str:
    return GREEN_REVOLUTION
