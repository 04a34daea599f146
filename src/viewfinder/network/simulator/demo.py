"""The network's part of `viewfinder demo`: a simulated network (made only when the network is empty) and the
demo brand's business account in it, Lumen Coffee Roasters, with its posts, followers, likes, comments and the
people who mention it. Running the demo again adds nothing: the brand's username marks that it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from viewfinder.kit.db import Database
from viewfinder.kit.storage import Storage
from viewfinder.network.simulator.population import Brand
from viewfinder.network.simulator.simulation import SIMULATOR_PASSWORD, Summary, simulate
from viewfinder.network.social.models import NetworkPerson

DEMO_SEED = 2026
DEMO_DAYS = 14
# The network around the brand, when the network is empty; when people are there already, a third as many
# are added, so that the brand still has an audience of its own.
DEMO_PEOPLE = 300

LUMEN = Brand(
    username="lumen.coffee",
    name="Lumen Coffee Roasters",
    email="hello@lumen-coffee.example",
    bio="Small-batch roastery ☕ Single origins, roasted every Tuesday. Tag #lumencoffee",
    website="https://lumen-coffee.example",
    topic="coffee",
    posts=20,
    captions=(
        "New on the shelf: Ethiopia Guji, notes of peach and jasmine",
        "Roast day! The whole street smells like caramel",
        "Meet our head roaster, Ana, twelve years behind the drum",
        "Our Colombia decaf is back, and it tastes like chocolate",
        "Pour-over class this Saturday: bring a friend",
        "Morning light at the bar",
        "Kenya AA just landed: blackcurrant, bright and juicy",
        "Your latte art, our beans: share yours with #lumencoffee",
        "Cold brew season is open",
        "From farm to cup: how we choose our green coffee",
        "Espresso blend 'Daybreak', now in 1 kg bags",
        "Thank you for 5 years of mornings together",
    ),
    hashtags=("lumencoffee", "coffee", "specialtycoffee"),
)


@dataclass(frozen=True)
class NetworkDemo:
    username: str
    password: str
    # The run that made it; None when the brand was there already.
    summary: Summary | None


async def set_up_network_demo(database: Database, storage: Storage, *, people: int = DEMO_PEOPLE) -> NetworkDemo:
    """Make the brand with a simulated network around it (`people` strong when the network is empty, else a
    third of that beside those there), unless the brand exists already."""
    async with database.sessions() as session:
        brand_exists = await session.scalar(
            select(exists().where(NetworkPerson.username_key == LUMEN.username.lower()))
        )
        anyone = await session.scalar(select(exists().where(NetworkPerson.id.is_not(None))))
    summary = None
    if not brand_exists:
        users = people // 3 if anyone else people
        summary = await simulate(database, storage, users=users, days=DEMO_DAYS, seed=DEMO_SEED, brand=LUMEN)
    return NetworkDemo(LUMEN.username, SIMULATOR_PASSWORD, summary)
