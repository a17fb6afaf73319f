"""Synthetic records at scale, deterministically.

Every value of a record is a pure function of the seed, the record's family and its
number in the run (a 64-bit splitmix hash, read a digit at a time in mixed radix). So the
same seed gives byte-identical records whatever the chunking or the target, any record can
be made again on its own (an activity names its contact's address and a contact its
account's company without reading them back), and nothing is held in memory but the
vocabularies below. Rows come out keyed by the store's column names, ``fields`` as a
dict in a fixed key order, so the JSON text is the same on every run.

Which fields a record fills follows the site's catalog (the names it is given); where
the values sit follows the statements that read them (``{{Activity.Field(X)}}`` reads
``fields.X``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any
from urllib.parse import urlencode

from emulator.core.types import JSONObject

M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix(x: int) -> int:
    """splitmix64's finaliser: consecutive inputs give unrelated 64-bit outputs."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def stream_key(seed: int, name: str) -> int:
    """The key of one stream of draws (a family, or one aspect of it) under ``seed``."""
    digest = hashlib.blake2b(f"{seed}\x00{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def draw(key: int, n: int) -> int:
    """The ``n``-th 64-bit draw of a stream."""
    return mix((key + n * GOLDEN) & M64)


# --- time -----------------------------------------------------------------------------

START = date(2019, 1, 1)
SPAN_DAYS = 7 * 365  # records are created from 2019 to the end of 2025
UPDATE_DAYS = 400  # and updated up to this long after
SPAN_SECONDS = SPAN_DAYS * 86_400
UPDATE_SECONDS = UPDATE_DAYS * 86_400
_DAYS = tuple((START + timedelta(days=d)).isoformat() for d in range(SPAN_DAYS + UPDATE_DAYS + 2))


_D2 = tuple(f"{i:02d}" for i in range(100))
_D3 = tuple(f"{i:03d}" for i in range(1000))
_MINUTES = tuple(f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440))


def stamps(seconds: int, micros: int) -> tuple[str, str]:
    """Seconds since 2019-01-01 UTC as a resource timestamp (``…T….ffffff0Z``, as the
    store keeps them) and as a date field's text (``YYYY-MM-DD HH:MM:SS``). Built from
    tables of digits: this runs twice a record."""
    day, rest = divmod(seconds, 86_400)
    minute, second = divmod(rest, 60)
    clock = _MINUTES[minute] + _D2[second]
    text = _DAYS[day]
    high, low = divmod(micros, 1000)
    return f"{text}T{clock}.{_D3[high]}{_D3[low]}0Z", f"{text} {clock}"


# --- vocabularies ---------------------------------------------------------------------

# (display, romanised for e-mail addresses)
FIRST_NAMES = (
    ("Zoë", "zoe"), ("José", "jose"), ("Łukasz", "lukasz"), ("Søren", "soren"),
    ("Ngọc", "ngoc"), ("François", "francois"), ("Björn", "bjorn"), ("Małgorzata", "malgorzata"),
    ("Siobhán", "siobhan"), ("Chloé", "chloe"), ("Jürgen", "jurgen"), ("Ólafur", "olafur"),
    ("Anaïs", "anais"), ("João", "joao"), ("Noémie", "noemie"), ("Иван", "ivan"),
    ("太郎", "taro"), ("さくら", "sakura"), ("Emma", "emma"), ("Liam", "liam"),
    ("Olivia", "olivia"), ("Noah", "noah"), ("Aiko", "aiko"), ("Priya", "priya"),
    ("Chidi", "chidi"), ("Fatima", "fatima"), ("Mateo", "mateo"), ("Ingrid", "ingrid"),
    ("Agnieszka", "agnieszka"), ("Renée", "renee"), ("Hélène", "helene"), ("Åsa", "asa"),
    ("Mārtiņš", "martins"), ("Þóra", "thora"), ("Sean", "sean"), ("Grace", "grace"),
    ("Lucas", "lucas"), ("Mia", "mia"), ("Kenji", "kenji"), ("Amara", "amara"),
    ("Diego", "diego"), ("Leila", "leila"), ("Oskar", "oskar"), ("Yuki", "yuki"),
    ("Ana", "ana"), ("Pedro", "pedro"), ("Hannah", "hannah"), ("Ravi", "ravi"),
)  # fmt: skip
LAST_NAMES = (
    ("Müller", "muller"), ("山田", "yamada"), ("García", "garcia"), ("Nowak", "nowak"),
    ("Jørgensen", "jorgensen"), ("Nguyễn", "nguyen"), ("O'Brien", "obrien"),
    ("Dubois", "dubois"), ("Lefèvre", "lefevre"), ("Sánchez", "sanchez"),
    ("Öztürk", "ozturk"), ("Wiśniewski", "wisniewski"), ("Åberg", "aberg"),
    ("Schröder", "schroder"), ("佐藤", "sato"), ("Иванова", "ivanova"), ("Smith", "smith"),
    ("Johnson", "johnson"), ("Brown", "brown"), ("Silva", "silva"), ("Kim", "kim"),
    ("Patel", "patel"), ("Okafor", "okafor"), ("van der Berg", "vanderberg"),
    ("Þórsdóttir", "thorsdottir"), ("Ferreira", "ferreira"), ("Kowalczyk", "kowalczyk"),
    ("Lindqvist", "lindqvist"), ("Rossi", "rossi"), ("Tanaka", "tanaka"),
    ("Hernández", "hernandez"), ("Çelik", "celik"), ("Novák", "novak"), ("Ng", "ng"),
    ("Martin", "martin"), ("Bianchi", "bianchi"), ("Larsen", "larsen"), ("Costa", "costa"),
    ("Weber", "weber"), ("Moreau", "moreau"), ("Khan", "khan"), ("Wood", "wood"),
)  # fmt: skip


@dataclass(frozen=True)
class Place:
    country: str
    city: str
    state: str
    zip_code: str
    phone: str  # prefix; four digits follow
    region: str
    street: str  # with {n}
    suffixes: tuple[str, ...]  # company forms of the country


PLACES = (
    Place("United States", "Boston", "MA", "02110", "+1 617 555", "NA",
          "{n} Main Street", ("Inc.", "LLC", "Corp.")),
    Place("United States", "Austin", "TX", "78701", "+1 512 555", "NA",
          "{n} Congress Avenue", ("Inc.", "LLC")),
    Place("United States", "San José", "CA", "95113", "+1 408 555", "NA",
          "{n} Market Street", ("Inc.", "Corp.")),
    Place("Canada", "Montréal", "QC", "H2X 1Y4", "+1 514 555", "NA",
          "{n} rue Sainte-Catherine", ("Inc.", "Ltée")),
    Place("Canada", "Toronto", "ON", "M5V 2T6", "+1 416 555", "NA",
          "{n} King Street West", ("Inc.", "Ltd.")),
    Place("Germany", "München", "Bayern", "80331", "+49 89 5550", "EMEA",
          "Leopoldstraße {n}", ("GmbH", "AG")),
    Place("Germany", "Köln", "Nordrhein-Westfalen", "50667", "+49 221 5550", "EMEA",
          "Hauptstraße {n}", ("GmbH", "KG")),
    Place("France", "Besançon", "Bourgogne-Franche-Comté", "25000", "+33 3 81 55", "EMEA",
          "{n} rue de la République", ("SA", "SARL")),
    Place("France", "Paris", "Île-de-France", "75002", "+33 1 45 55", "EMEA",
          "{n} rue du Faubourg Saint-Honoré", ("SA", "SAS")),
    Place("Spain", "Málaga", "Andalucía", "29001", "+34 952 555", "EMEA",
          "Calle Larios {n}", ("S.L.", "S.A.")),
    Place("Poland", "Łódź", "Łódzkie", "90-001", "+48 42 555", "EMEA",
          "ul. Piotrkowska {n}", ("Sp. z o.o.", "S.A.")),
    Place("Poland", "Kraków", "Małopolskie", "31-001", "+48 12 555", "EMEA",
          "ul. Floriańska {n}", ("Sp. z o.o.",)),
    Place("Denmark", "København", "Hovedstaden", "1050", "+45 33 55", "EMEA",
          "Strøget {n}", ("A/S", "ApS")),
    Place("Sweden", "Göteborg", "Västra Götaland", "411 01", "+46 31 555", "EMEA",
          "Kungsgatan {n}", ("AB",)),
    Place("Greece", "Αθήνα", "Αττική", "105 57", "+30 21 0555", "EMEA",
          "Οδός Ερμού {n}", ("A.E.",)),
    Place("United Kingdom", "London", "Greater London", "EC1A 1BB", "+44 20 7946", "EMEA",
          "{n} Aldersgate Street", ("Ltd", "plc")),
    Place("Ireland", "Dublin", "Leinster", "D02 X285", "+353 1 555", "EMEA",
          "{n} Grafton Street", ("Ltd",)),
    Place("Japan", "東京", "東京都", "100-0001", "+81 3 5555", "APAC",
          "丸の内1-{n}", ("K.K.",)),
    Place("Japan", "大阪", "大阪府", "530-0001", "+81 6 5555", "APAC",
          "梅田2-{n}", ("K.K.",)),
    Place("Vietnam", "Hà Nội", "Hà Nội", "100000", "+84 24 555", "APAC",
          "{n} Phố Hàng Bạc", ("JSC",)),
    Place("Australia", "Sydney", "NSW", "2000", "+61 2 5550", "APAC",
          "{n} George Street", ("Pty Ltd",)),
    Place("Brazil", "São Paulo", "SP", "01310-100", "+55 11 5555", "LATAM",
          "Avenida Paulista, {n}", ("Ltda.", "S.A.")),
    Place("Mexico", "Ciudad de México", "CDMX", "06600", "+52 55 5555", "LATAM",
          "Paseo de la Reforma {n}", ("S.A. de C.V.",)),
)  # fmt: skip
# (display, domain label)
COMPANY_NAMES = (
    ("Northwind", "northwind"), ("Contoso", "contoso"), ("Globex", "globex"),
    ("Initech", "initech"), ("Cyberdyne", "cyberdyne"), ("Umbrella", "umbrella"),
    ("Müller & Söhne", "mueller-soehne"), ("Łódź Works", "lodz-works"),
    ("Nordlys", "nordlys"), ("Sakura", "sakura"), ("Aurora", "aurora"), ("Helios", "helios"),
    ("Fjord", "fjord"), ("Zenit", "zenit"), ("Atlas", "atlas"), ("Quantum", "quantum"),
    ("Bluebird", "bluebird"), ("Vértice", "vertice"), ("Orion", "orion"), ("Kōyō", "koyo"),
    ("Pinnacle", "pinnacle"), ("Meridian", "meridian"), ("Tundra", "tundra"),
    ("Solaris", "solaris"), ("Lumière", "lumiere"), ("Vesta", "vesta"), ("Cobalt", "cobalt"),
    ("Evergreen", "evergreen"), ("Harbor", "harbor"), ("Ibis", "ibis"),
)  # fmt: skip
COMPANY_TRADES = (
    ("Logistics", "logistics"), ("Analytics", "analytics"), ("Systems", "systems"),
    ("Foods", "foods"), ("Energy", "energy"), ("Media", "media"), ("Robotics", "robotics"),
    ("Pharma", "pharma"), ("Textiles", "textiles"), ("Finance", "finance"),
    ("Software", "software"), ("Labs", "labs"), ("Health", "health"), ("Motors", "motors"),
)  # fmt: skip
INDUSTRIES = (
    "Software", "Manufacturing", "Financial Services", "Healthcare", "Education", "Retail",
    "Logistics", "Energy", "Media", "Public Sector",
)  # fmt: skip
TITLES = (
    "Marketing Manager", "VP Marketing", "Chief Marketing Officer",
    "Demand Generation Specialist", "Marketing Operations Analyst", "Sales Director",
    "Software Engineer", "Data Engineer", "Directrice Marketing", "Leiter Vertrieb",
    "Kierownik ds. marketingu", "マーケティング部長", "Head of CRM", "Account Executive",
    "IT Manager", "Consultant",
)  # fmt: skip
LEAD_STATUSES = ("Open", "Contacted", "Qualified", "Unqualified", "Nurture")
COMPANY_SIZES = (50, 200, 1000, 5000)  # most employees of each size band
REVENUE_BANDS = ("< $1M", "$1M-$10M", "$10M-$50M", "$50M-$250M", "$250M-$1B", "> $1B")
ACCOUNT_TYPES = ("Customer", "Prospect", "Partner", "Competitor")
TIERS = ("Gold", "Silver", "Bronze")
EMAIL_FORMATS = ("HTML", "HTML", "HTML", "Plain text")
VIRTUAL_COMPANIES = 10_007  # the companies of contacts seeded without accounts


# The fields a synthetic contact or account can fill, in the order they are written; a
# site's catalog keeps those it has.
CONTACT_FIELDS = (
    "C_EmailAddress", "C_FirstName", "C_LastName", "C_Company", "C_Title", "C_Address1",
    "C_City", "C_State_Prov", "C_Zip_Postal", "C_Country", "C_BusPhone", "C_Industry1",
    "C_Lead_Status1", "C_Region1",
)  # fmt: skip
ACCOUNT_FIELDS = (
    "M_CompanyName", "M_Address1", "M_City", "M_State_Prov", "M_Zip_Postal", "M_Country",
    "M_BusPhone", "M_DateCreated", "M_DateModified", "M_Industry1", "M_Annual_Revenue1",
    "M_Employees1", "M_Wesbsite1", "M_Account_Type1", "M_Customer_Tier1",
)  # fmt: skip

# Activity types with their weights (about the mix of a marketing database's history)
ACTIVITY_WEIGHTS = {
    "EmailSend": 20, "EmailOpen": 16, "PageView": 14, "WebVisit": 10,
    "EmailClickthrough": 9, "FormSubmit": 6, "SmsSend": 6, "SmsClickthrough": 4,
    "SmsReply": 3, "Bounceback": 4, "Unsubscribe": 4, "Subscribe": 4,
}  # fmt: skip
EMAIL_TYPES = frozenset(
    ("EmailSend", "EmailOpen", "EmailClickthrough", "Bounceback", "Subscribe", "Unsubscribe")
)
VISITED_TYPES = frozenset(("EmailOpen", "EmailClickthrough", "WebVisit", "PageView", "FormSubmit"))
SMS_ASSETS = ((4101, "Event reminder SMS"), (4102, "Seasonal offer SMS"))
PAGES = (
    "https://www.example.com/", "https://www.example.com/pricing",
    "https://www.example.com/products/data-cloud", "https://www.example.com/blog/clean-data",
    "https://www.example.com/events", "https://www.example.com/contact",
    "https://www.example.com/de/produkte", "https://www.example.com/ja/",
)  # fmt: skip
REFERRERS = (
    "https://www.google.com/", "https://www.linkedin.com/", "https://www.bing.com/",
    "https://duckduckgo.com/", "https://news.example.net/", "",
)  # fmt: skip
BOUNCES = (
    ("550", "5.1.1", "550 5.1.1 User unknown"),
    ("552", "5.2.2", "552 5.2.2 Mailbox full"),
    ("554", "5.7.1", "554 5.7.1 Message rejected as spam"),
)
SMS_REPLIES = ("INFO", "STOP", "YES", "HELP")

# Custom object values, chosen by a word in the field's name.
WORDS = {
    "product": ("Analytics", "Integrations", "Mobile", "Security", "Data Cloud"),
    "currency": ("USD", "EUR", "GBP", "JPY", "PLN", "SEK"),
    "priority": ("Low", "Medium", "High", "Urgent"),
    "status": ("Open", "Pending", "Closed", "Escalated"),
    "subject": (
        "Login fails after SSO change", "Export is slow", "Invoice question",
        "ログインできません", "Problème de synchronisation", "Feature request: dark mode",
    ),
    "webinar": (
        "Data Cloud Deep Dive", "Sécurité des données 101", "Marketing Automation Basics",
        "Datenqualität in der Praxis", "Scaling Campaigns",
    ),
    "category": ("Billing", "Technical", "Account", "Integrations", "Техническая поддержка"),
}  # fmt: skip
PHRASES = ("Data Cloud", "Follow up", "Press", "Partner", "初参加", "Prioritaire", "VIP")


# --- what a site contributes ----------------------------------------------------------


@dataclass(frozen=True)
class Assets:
    """What activities point at: the site's e-mails ``(id, name, subject)``, forms
    ``(id, name)`` and campaign ids."""

    emails: tuple[tuple[int, str, str], ...] = ()
    forms: tuple[tuple[int, str], ...] = ()
    campaigns: tuple[int, ...] = ()


@dataclass(frozen=True)
class ObjectField:
    key: str  # where the value sits in ``fields``: the field's id
    name: str  # its internal name
    data_type: str


@dataclass(frozen=True)
class ObjectShape:
    """A custom object: its id, fields, and which of them hold the record's unique
    value and e-mail address."""

    id: int
    fields: tuple[ObjectField, ...]
    unique: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Layout:
    """Everything records depend on: the seed, how many of each, the first id of each
    (one per custom object), and what the site's catalog has."""

    seed: int
    accounts: int = 0
    contacts: int = 0
    activities: int = 0
    object_records: int = 0
    account_base: int = 1
    contact_base: int = 1
    activity_base: int = 1
    object_bases: tuple[int, ...] = ()
    contact_fields: frozenset[str] = frozenset(CONTACT_FIELDS)
    account_fields: frozenset[str] = frozenset(ACCOUNT_FIELDS)
    activity_types: tuple[str, ...] = tuple(ACTIVITY_WEIGHTS)
    objects: tuple[ObjectShape, ...] = ()
    assets: Assets = Assets()


def _picker(names: Sequence[str], kept: frozenset[str]) -> Callable[[Sequence[Any]], JSONObject]:
    """Values in ``names`` order → a dict of the kept names only, in that order."""
    keys = [n for n in names if n in kept]
    where = [i for i, n in enumerate(names) if n in kept]
    if not keys:
        return lambda values: {}
    if len(keys) == 1:
        only, at = keys[0], where[0]
        return lambda values: {only: values[at]}
    getter = itemgetter(*where)
    return lambda values: dict(zip(keys, getter(values), strict=True))


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    place: Place
    industry: str
    employees: int
    revenue: str
    street: str
    phone: str
    created: int  # seconds since START


class Records:
    """The records of one layout, by family and number range."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        seed = layout.seed
        self._k_account = stream_key(seed, "accounts")
        self._k_account2 = stream_key(seed, "accounts/2")
        self._k_account3 = stream_key(seed, "accounts/3")
        self._k_contact = stream_key(seed, "contacts")
        self._k_contact2 = stream_key(seed, "contacts/2")
        self._k_activity = stream_key(seed, "activities")
        self._k_activity2 = stream_key(seed, "activities/2")
        self._k_activity3 = stream_key(seed, "activities/3")
        self._k_object = stream_key(seed, "customObjects")
        self._k_object2 = stream_key(seed, "customObjects/2")
        self._k_object3 = stream_key(seed, "customObjects/3")
        self._contact_pick = _picker(CONTACT_FIELDS, layout.contact_fields)
        self._account_pick = _picker(ACCOUNT_FIELDS, layout.account_fields)
        self._company = lru_cache(maxsize=1 << 15)(self._make_company)
        weights = [(t, ACTIVITY_WEIGHTS.get(t, 1)) for t in layout.activity_types]
        self._types = tuple(t for t, w in weights for _ in range(w))
        self._objects = tuple(_ObjectMaker(shape) for shape in layout.objects)

    # -- accounts ------------------------------------------------------------------

    def _make_company(self, number: int) -> Company:
        h = draw(self._k_account, number)
        h, name = divmod(h, len(COMPANY_NAMES))
        h, trade = divmod(h, len(COMPANY_TRADES))
        h, place_at = divmod(h, len(PLACES))
        h, industry = divmod(h, len(INDUSTRIES))
        h, size = divmod(h, len(COMPANY_SIZES))
        h, revenue = divmod(h, len(REVENUE_BANDS))
        h, street = divmod(h, 250)
        h, phone = divmod(h, 9_000)
        h, employees = divmod(h, 1_000)
        place = PLACES[place_at]
        suffix = place.suffixes[h % len(place.suffixes)]
        label, trade_label = COMPANY_NAMES[name], COMPANY_TRADES[trade]
        most = COMPANY_SIZES[size]
        return Company(
            name=f"{label[0]} {trade_label[0]} {suffix}",
            domain=f"{label[1]}-{trade_label[1]}.example",
            place=place,
            industry=INDUSTRIES[industry],
            employees=most // 2 + employees * most // 2_000,
            revenue=REVENUE_BANDS[revenue],
            street=place.street.format(n=street + 1),
            phone=f"{place.phone} {phone + 1000}",
            created=draw(self._k_account2, number) % SPAN_SECONDS,
        )

    def accounts(self, start: int, stop: int) -> Iterator[JSONObject]:
        base, pick = self.layout.account_base, self._account_pick
        for m in range(start, stop):
            company = self._make_company(m)
            h, micros = divmod(draw(self._k_account3, m), 1_000_000)
            h, offset = divmod(h, UPDATE_SECONDS)
            h, kind = divmod(h, len(ACCOUNT_TYPES))
            created_at, created_text = stamps(company.created, micros)
            updated_at, updated_text = stamps(company.created + offset, (micros * 7 + 1) % 10**6)
            place = company.place
            yield {
                "id": base + m,
                "created_at": created_at,
                "updated_at": updated_at,
                "fields": pick(
                    (
                        company.name,
                        company.street,
                        place.city,
                        place.state,
                        place.zip_code,
                        place.country,
                        company.phone,
                        created_text,
                        updated_text,
                        company.industry,
                        company.revenue,
                        str(company.employees),
                        f"https://www.{company.domain}",
                        ACCOUNT_TYPES[kind],
                        TIERS[h % len(TIERS)],
                    )
                ),
            }

    # -- contacts ------------------------------------------------------------------

    def person(self, n: int) -> tuple[str, str, str, int, int | None, Company]:
        """Contact ``n``'s first and last names, its e-mail address, the rest of its draw
        (about 25 bits), its account id (when the run seeds accounts) and its company."""
        h = draw(self._k_contact, n)
        h, first_at = divmod(h, len(FIRST_NAMES))
        h, last_at = divmod(h, len(LAST_NAMES))
        h, style = divmod(h, 4)
        h, employer = divmod(h, 1 << 30)
        layout = self.layout
        if layout.accounts:
            account_id: int | None = layout.account_base + employer % layout.accounts
            company = self._company(employer % layout.accounts)
        else:
            account_id, company = None, self._company(employer % VIRTUAL_COMPANIES)
        first, first_ascii = FIRST_NAMES[first_at]
        last, last_ascii = LAST_NAMES[last_at]
        if style == 0:
            local = f"{first_ascii}.{last_ascii}"
        elif style == 1:
            local = f"{first_ascii[0]}{last_ascii}"
        elif style == 2:
            local = f"{last_ascii}.{first_ascii}"
        else:
            local = f"{first_ascii}_{last_ascii}"
        # the id makes the address unique in the site, whatever else it holds
        email = f"{local}{layout.contact_base + n}@{company.domain}"
        return first, last, email, h, account_id, company

    def contacts(self, start: int, stop: int) -> Iterator[JSONObject]:
        base, pick = self.layout.contact_base, self._contact_pick
        for n in range(start, stop):
            first, last, email, h, account_id, company = self.person(n)
            place = company.place
            h, title_at = divmod(h, len(TITLES))
            h, status = divmod(h, len(LEAD_STATUSES))
            flags = h % 100
            t = draw(self._k_contact2, n)
            micros = (t & 0xFFFFF) % 1_000_000
            created = company.created + (t >> 20) % (SPAN_SECONDS - company.created)
            updated = created + (t >> 38) % UPDATE_SECONDS
            yield {
                "id": base + n,
                "created_at": stamps(created, micros)[0],
                "updated_at": stamps(updated, (micros * 7 + 1) % 1_000_000)[0],
                "account_id": account_id,
                "is_subscribed": flags >= 15,
                "is_bounced": flags < 2,
                "email_format": EMAIL_FORMATS[flags % len(EMAIL_FORMATS)],
                "fields": pick(
                    (
                        email,
                        first,
                        last,
                        company.name,
                        TITLES[title_at],
                        company.street,
                        place.city,
                        place.state,
                        place.zip_code,
                        place.country,
                        company.phone,
                        company.industry,
                        LEAD_STATUSES[status],
                        place.region,
                    )
                ),
            }

    def _linked(self, h: int) -> tuple[int | None, int]:
        """A contact of the run for a record with draw ``h``: its id (``None`` when the run
        seeds no contacts) and its number (any, for made-up names)."""
        layout = self.layout
        if layout.contacts:
            n = h % layout.contacts
            return layout.contact_base + n, n
        return None, h % 1_000_003

    # -- activities ----------------------------------------------------------------

    def activities(self, start: int, stop: int) -> Iterator[JSONObject]:
        layout, types = self.layout, self._types
        assets = layout.assets
        for n in range(start, stop):
            h, type_at = divmod(draw(self._k_activity, n), len(types))
            kind = types[type_at]
            h, moment = divmod(h, SPAN_SECONDS)
            h, micros = divmod(h, 1_000_000)
            contact_id, number = self._linked(draw(self._k_activity2, n))
            h2 = draw(self._k_activity3, n)  # the asset and the values of ``fields``
            first, last, email, _, _, company = self.person(number)
            visitor = (
                500_000 + contact_id if contact_id is not None and kind in VISITED_TYPES else None
            )
            asset: tuple[str | None, str | None, int | None] = (None, None, None)
            campaign = assets.campaigns[h % len(assets.campaigns)] if assets.campaigns else None
            fields: JSONObject = {}
            if kind in EMAIL_TYPES:
                if assets.emails:
                    email_id, email_name, subject = assets.emails[h2 % len(assets.emails)]
                    asset = ("Email", email_name, email_id)
                    fields = self._email_fields(kind, email, email_id, subject, h2, visitor)
                else:
                    fields = {"EmailAddress": email}
            elif kind.startswith("Sms"):
                sms_id, sms_name = SMS_ASSETS[h2 % len(SMS_ASSETS)]
                asset = ("SMS", sms_name, sms_id)
                fields = self._sms_fields(kind, company.place.phone, h2)
            elif kind == "FormSubmit":
                if assets.forms:
                    form_id, form_name = assets.forms[h2 % len(assets.forms)]
                    asset = ("Form", form_name, form_id)
                else:
                    form_name = "Contact Us"
                fields = {
                    "VisitorExternalId": _visitor_key(visitor, h2),
                    "RawData": urlencode(
                        {
                            "elqFormName": "".join(c for c in form_name.lower() if c.isalnum()),
                            "emailAddress": email,
                            "firstName": first,
                            "lastName": last,
                        }
                    ),
                }
            elif kind == "WebVisit":
                campaign = None
                fields = {
                    "VisitorExternalId": _visitor_key(visitor, h2),
                    "ReferrerUrl": REFERRERS[h2 % len(REFERRERS)],
                    "IpAddress": _ip(h2 >> 4),
                    "NumberOfPages": str(1 + (h2 >> 12) % 12),
                    "FirstPageViewUrl": PAGES[(h2 >> 16) % len(PAGES)],
                    "Duration": str(5 + (h2 >> 20) % 1800),
                    "WebVisitSavedId": str(40_000_000 + n),
                }
            else:  # PageView
                fields = {
                    "VisitorExternalId": _visitor_key(visitor, h2),
                    "WebVisitId": str(800_000 + (h2 >> 4) % 100_000),
                    "Url": PAGES[h2 % len(PAGES)],
                    "ReferrerUrl": REFERRERS[(h2 >> 24) % len(REFERRERS)],
                    "IpAddress": _ip(h2 >> 12),
                    "IsWebTrackingOptedIn": "true" if (h2 >> 30) % 10 else "false",
                    "PageViewSavedId": str(19_000_000 + n),
                }
            created_at, _ = stamps(moment, micros)
            yield {
                "id": layout.activity_base + n,
                "type": kind,
                "created_at": created_at,
                "contact_id": contact_id,
                "visitor_id": visitor,
                "external_id": None,
                "asset_type": asset[0],
                "asset_name": asset[1],
                "asset_id": asset[2],
                "campaign_id": campaign,
                "fields": fields,
            }

    @staticmethod
    def _email_fields(
        kind: str, email: str, email_id: int, subject: str, h: int, visitor: int | None
    ) -> JSONObject:
        fields: JSONObject = {"EmailAddress": email, "EmailRecipientId": _guid(h)}
        if kind in ("EmailSend", "EmailOpen", "EmailClickthrough"):
            fields["SubjectLine"] = subject
            fields["EmailWebLink"] = (
                f"https://s1234.t.example.com/e/es?s=1234&e={email_id}&elqTrackId={h:016x}"
            )
            fields["EmailDeploymentId"] = str(7_000 + (h >> 8) % 1_000)
            fields["EmailSendType"] = "Batch" if (h >> 18) % 3 else "Campaign"
        if kind in ("EmailOpen", "EmailClickthrough"):
            fields["IpAddress"] = _ip(h >> 20)
            fields["VisitorExternalId"] = _visitor_key(visitor, h)
        if kind == "EmailClickthrough":
            fields["EmailClickedThruLink"] = PAGES[(h >> 28) % len(PAGES)]
        if kind == "Bounceback":
            code, status, message = BOUNCES[(h >> 8) % len(BOUNCES)]
            fields["EmailDeploymentId"] = str(7_000 + (h >> 12) % 1_000)
            fields["SmtpErrorCode"] = code
            fields["SmtpStatusCode"] = status
            fields["SmtpMessage"] = message
        return fields

    @staticmethod
    def _sms_fields(kind: str, prefix: str, h: int) -> JSONObject:
        fields: JSONObject = {
            "PhoneNumber": f"{prefix} {1000 + (h >> 4) % 9000}",
            "SmsCode": "72345",
        }
        if kind == "SmsSend":
            fields["SmsMessage"] = "Your offer is waiting: https://exmpl.co/s Reply STOP to opt out"
        if kind == "SmsReply":
            keyword = SMS_REPLIES[(h >> 18) % len(SMS_REPLIES)]
            fields["SmsMessage"] = keyword
            fields["Keyword"] = keyword
        if kind == "SmsClickthrough":
            fields["SmsClickedThruLink"] = f"https://exmpl.co/{(h >> 20) & 0xFFFFFF:06x}"
        if kind != "SmsReply":
            fields["SmsDeploymentId"] = str(9_000 + (h >> 24) % 1_000)
        return fields

    # -- custom object records -----------------------------------------------------

    def object_records(self, start: int, stop: int) -> Iterator[JSONObject]:
        """Record ``k`` goes to custom object ``k mod m`` (round robin), as its
        ``k div m``-th record."""
        objects, bases = self._objects, self.layout.object_bases
        count = len(objects)
        for k in range(start, stop):
            local, at = divmod(k, count)
            maker = objects[at]
            record_id = bases[at] + local
            contact_id, number = self._linked(draw(self._k_object, k))
            email = self.person(number)[2]
            h = draw(self._k_object2, k)
            micros = (h & 0xFFFFF) % 1_000_000
            created = (h >> 20) % SPAN_SECONDS
            updated = created + (h >> 38) % UPDATE_SECONDS
            created_at, created_text = stamps(created, micros)
            updated_at, _ = stamps(updated, (micros * 7 + 1) % 1_000_000)
            yield {
                "family": "customObjects",
                "parent_id": maker.shape.id,
                "id": record_id,
                "external_id": f"CDO{maker.shape.id}-{record_id:07d}",
                "contact_id": contact_id,
                "account_id": None,
                "created_at": created_at,
                "updated_at": updated_at,
                "fields": maker.fields(record_id, email, created_text, draw(self._k_object3, k)),
            }


class _ObjectMaker:
    """How each field of one custom object gets its value, decided once from the
    field's role, data type and name."""

    def __init__(self, shape: ObjectShape) -> None:
        self.shape = shape
        self._makers = tuple((f.key, self._maker(f)) for f in shape.fields)

    def fields(self, record_id: int, email: str, created: str, h: int) -> JSONObject:
        """``h`` is the record's draw; each field mixes in its position for its own."""
        return {
            key: make(record_id, email, created, mix(h ^ at))
            for at, (key, make) in enumerate(self._makers)
        }

    def _maker(self, field: ObjectField) -> Callable[[int, str, str, int], str]:
        shape, name = self.shape, field.name.lower()
        tag = "".join(c for c in field.name if c.isascii() and c.isalpha())[:3].upper() or "REC"
        if field.key == shape.unique:
            return lambda rid, email, created, h: f"{tag}-{shape.id}-{rid:07d}"
        if field.key == shape.email or field.data_type == "emailAddress":
            return lambda rid, email, created, h: email
        if field.data_type == "date":
            return lambda rid, email, created, h: created
        if field.data_type == "boolean":
            return lambda rid, email, created, h: "true" if h % 2 else "false"
        if field.data_type == "number":
            return _number(name)
        for word, choices in WORDS.items():
            if word in name:
                return _choice(choices)
        if "address" in name or "adresse" in name:
            return lambda rid, email, created, h: _street(h)
        if name.endswith(("id1", "number1", "_id", "number")):
            return lambda rid, email, created, h: f"{tag}-{rid:07d}"
        return _choice(PHRASES)


def _choice(choices: Sequence[str]) -> Callable[[int, str, str, int], str]:
    return lambda rid, email, created, h: choices[h % len(choices)]


def _number(name: str) -> Callable[[int, str, str, int], str]:
    if "score" in name or "rating" in name:
        return lambda rid, email, created, h: str(1 + h % 5)
    if "amount" in name or "price" in name or "revenue" in name:
        return lambda rid, email, created, h: f"{10 + h % 500_000 / 100:.2f}"
    if "minute" in name or "duration" in name:
        return lambda rid, email, created, h: str(h % 181)
    return lambda rid, email, created, h: str(h % 1_000)


def _street(h: int) -> str:
    place = PLACES[h % len(PLACES)]
    return f"{place.street.format(n=1 + (h >> 8) % 250)}, {place.zip_code} {place.city}"


def _ip(h: int) -> str:
    return f"{('198.51.100', '203.0.113', '192.0.2')[h % 3]}.{1 + (h >> 2) % 254}"


def _guid(h: int) -> str:
    text = f"{h:016x}{mix(h):016x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _visitor_key(visitor: int | None, h: int) -> str:
    return f"{(visitor or 0) & 0xFFFFFFFF:08x}-{mix(h ^ GOLDEN):016x}{h & 0xFFFFFFFF:08x}"
