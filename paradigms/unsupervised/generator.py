"""A seeded, realistic online-retail transaction log with hidden customer personas.

The unsupervised paradigm needs data whose *true* groups are known, so that we
can check what clustering finds (adjusted Rand index) while the clustering
itself never sees them. This module simulates one year of a gift-ware web shop
in the layout of the classic UCI "Online Retail" file::

    InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
    536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom

Every customer follows one :class:`Persona` (loyal regulars, bargain hunters,
big-ticket occasional buyers, lapsed customers, new customers): how often they
order, over which part of the year, how many lines per order, which price tier
they pick from, in which pack sizes, and how often they send things back.
Returns appear as cancellation invoices (``C`` prefix, negative quantities), as
in the real file. With ``messy=True`` (the default) the log also carries the
dirt real logs carry: guest orders without a customer id, exact duplicate rows,
missing descriptions, zero-price adjustment rows. The personas stay hidden: they
are returned beside the log (:attr:`GeneratedLog.personas`), never written into it.

Everything is vectorized NumPy/PyArrow, so five million rows take seconds.

>>> log = generate_transactions(50, seed=1)
>>> log.transactions.column_names[:4]
['InvoiceNo', 'StockCode', 'Description', 'Quantity']
>>> log.personas.columns.tolist()
['customer_id', 'persona']
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..seeding import numpy_rng
from ..untrusted import PARQUET_SUFFIXES

#: The column names written, in order (the UCI Online Retail layout).
COLUMNS = ("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country")

#: First day of the simulated year and its length in days (as in the UCI file: 2010-12-01 .. 2011-12-09).
START_DATE = dt.date(2010, 12, 1)
PERIOD_DAYS = 374

#: Pack sizes a line's quantity is drawn from (the shop sells in packs, like the real one).
PACK_SIZES = np.array([1, 2, 3, 4, 6, 8, 10, 12, 24, 36, 48, 72, 96, 144])
_FEW = (30, 25, 10, 8, 12, 3, 3, 9, 0, 0, 0, 0, 0, 0)
_USUAL = (12, 14, 8, 8, 16, 6, 6, 20, 7, 1, 2, 0, 0, 0)
_BULK = (0, 0, 0, 0, 2, 2, 3, 14, 26, 10, 18, 8, 10, 7)
_SINGLE = (80, 16, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class Persona:
    """How one kind of customer shops; the hidden ground truth of the generator.

    Days count from the first day of the simulated year (0 .. 373). A
    customer's first and last orders fall in ``first_day`` and ``last_day``;
    when ``last_after_first`` is true, ``last_day`` is an offset from the first
    order instead. The number of orders is ``min_orders + Poisson(extra_orders)``.
    """

    name: str
    share: float
    first_day: tuple[float, float]
    last_day: tuple[float, float]
    last_after_first: bool
    min_orders: int
    extra_orders: float
    lines_per_order: float
    #: probabilities of picking a cheap, mid-price or premium product on a line
    price_tiers: tuple[float, float, float]
    #: weights over :data:`PACK_SIZES`
    pack_weights: tuple[float, ...]
    #: chance that an order is partly sent back (a cancellation invoice follows it)
    return_probability: float


#: The default personas; shares sum to 1.
PERSONAS: tuple[Persona, ...] = (
    Persona("loyal regulars", 0.18, (0, 80), (345, 373), False, 12, 12.0, 12.0, (0.3, 0.6, 0.1), _USUAL, 0.02),
    Persona("bargain hunters", 0.22, (0, 160), (290, 373), False, 4, 5.0, 14.0, (0.9, 0.1, 0.0), _BULK, 0.01),
    Persona("big-ticket occasionals", 0.14, (0, 330), (0, 30), True, 1, 0.8, 2.5, (0.0, 0.15, 0.85), _SINGLE, 0.02),
    Persona("lapsed customers", 0.22, (0, 110), (0, 70), True, 1, 2.0, 7.0, (0.35, 0.6, 0.05), _FEW, 0.02),
    Persona("new customers", 0.14, (325, 366), (0, 8), True, 1, 1.0, 8.0, (0.3, 0.65, 0.05), _USUAL, 0.02),
    Persona("serial returners", 0.10, (0, 200), (250, 373), False, 3, 4.0, 6.0, (0.2, 0.6, 0.2), _FEW, 0.7),
)

_COUNTRIES = (
    ("United Kingdom", 0.89), ("Germany", 0.025), ("France", 0.022), ("EIRE", 0.015), ("Spain", 0.01),
    ("Netherlands", 0.008), ("Belgium", 0.008), ("Switzerland", 0.007), ("Portugal", 0.006),
    ("Australia", 0.005), ("Norway", 0.004),
)
_COLOURS = ("WHITE", "RED", "PINK", "BLUE", "GREEN", "IVORY", "BLACK", "SILVER", "GOLD", "PASTEL", "CREAM")
_STYLES = ("VINTAGE", "RETRO", "HANGING", "PAISLEY", "REGENCY", "SPOTTY", "FLORAL", "HEART", "STAR", "CHRISTMAS")
_ITEMS = (
    ("GREETING CARD", "PENCIL SET", "STICKER SHEET", "GIFT TAG", "PAPER NAPKINS", "BALLOONS", "RIBBON REEL", "BADGE", "MAGNET"),
    ("T-LIGHT HOLDER", "LUNCH BAG", "MUG", "TEA TOWEL", "CAKE TIN", "PHOTO FRAME", "CANDLE", "JAM JAR", "LANTERN"),
    ("CABINET", "WALL CLOCK", "CHANDELIER", "STORAGE CHEST", "PARASOL", "PICNIC HAMPER", "MIRROR", "DRESSER", "ROCKING HORSE"),
)
#: median unit price and log-spread of each tier (cheap, mid, premium)
_TIER_PRICES = ((0.75, 0.45), (3.2, 0.4), (28.0, 0.6))
_PRODUCTS_PER_TIER = (260, 300, 140)


@dataclass(frozen=True)
class GeneratedLog:
    """A generated log: the transactions (a PyArrow table in the online-retail
    layout) and the hidden persona of every customer (``customer_id``, ``persona``)."""

    transactions: pa.Table
    personas: pd.DataFrame
    seed: int

    @property
    def n_rows(self) -> int:
        return int(self.transactions.num_rows)

    def to_pandas(self) -> pd.DataFrame:
        return self.transactions.to_pandas()

    def write(self, path: str | Path) -> Path:
        """Write the log as CSV (or Parquet when ``path`` ends in ``.parquet``), atomically."""
        return write_transactions(self.transactions, path)


def _catalogue(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Stock codes, descriptions and unit prices of the shop's products, by tier."""
    codes: list[str] = []
    names: list[str] = []
    prices: list[float] = []
    tiers: list[np.ndarray] = []
    seen: set[str] = set()
    numbers = rng.choice(np.arange(10000, 90000), size=sum(_PRODUCTS_PER_TIER), replace=False)
    for tier, (count, (median, spread)) in enumerate(zip(_PRODUCTS_PER_TIER, _TIER_PRICES, strict=True)):
        tier_prices = np.round(np.exp(rng.normal(np.log(median), spread, size=count)), 2)
        tier_prices = np.maximum(tier_prices, 0.1)
        index = []
        for price in tier_prices:
            number = int(numbers[len(codes)])
            suffix = rng.choice(["", "", "", "", "A", "B", "C"])
            name = f"{rng.choice(_COLOURS)} {rng.choice(_STYLES)} {rng.choice(_ITEMS[tier])}"
            while name in seen:
                name += " " + str(rng.choice(["SMALL", "LARGE", "SET OF 3", "DESIGN", "MINI"]))
            seen.add(name)
            index.append(len(codes))
            codes.append(f"{number}{suffix}")
            names.append(name)
            prices.append(price)
        tiers.append(np.array(index))
    return np.array(codes, dtype=object), np.array(names, dtype=object), np.array(prices), tiers


def _pick(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row of ``probabilities`` (rows sum to 1), vectorized."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative[:, -1] = 1.0
    u = rng.random(len(probabilities))[:, None]
    return (u > cumulative).sum(axis=1)


def _products_for(rng: np.random.Generator, tier_of_line: np.ndarray, tiers: list[np.ndarray]) -> np.ndarray:
    """A product per line, from its tier, with a few best-sellers in each tier (Zipf-like)."""
    product = np.empty(len(tier_of_line), dtype=np.int64)
    for tier, members in enumerate(tiers):
        rows = np.flatnonzero(tier_of_line == tier)
        weights = 1.0 / np.arange(1, len(members) + 1) ** 0.8
        cumulative = np.cumsum(weights / weights.sum())
        product[rows] = members[np.minimum(np.searchsorted(cumulative, rng.random(len(rows))), len(members) - 1)]
    return product


def generate_transactions(
    n_customers: int = 3000,
    *,
    seed: int = 0,
    personas: tuple[Persona, ...] = PERSONAS,
    messy: bool = True,
) -> GeneratedLog:
    """Simulate one year of orders from ``n_customers`` customers.

    Returns a :class:`GeneratedLog`; about 100 rows per customer on average.
    The same ``seed`` gives the identical log.
    """

    if n_customers < 1:
        raise ValueError("n_customers must be at least 1")
    rng = numpy_rng(seed, 4)
    shares = np.array([p.share for p in personas], dtype=float)
    persona_of = rng.choice(len(personas), size=n_customers, p=shares / shares.sum())
    customer_ids = 12346 + np.sort(rng.choice(np.arange(n_customers * 3), size=n_customers, replace=False))
    country_names = np.array([c for c, _ in _COUNTRIES], dtype=object)
    country_p = np.array([w for _, w in _COUNTRIES])
    country_of = rng.choice(len(country_names), size=n_customers, p=country_p / country_p.sum())

    def per_persona(attr: str) -> np.ndarray:
        return np.array([getattr(p, attr) for p in personas], dtype=float)[persona_of]

    # -- each customer's active window and number of orders ---------------------------
    first_lo, first_hi = (np.array([p.first_day[i] for p in personas])[persona_of] for i in (0, 1))
    last_lo, last_hi = (np.array([p.last_day[i] for p in personas])[persona_of] for i in (0, 1))
    first = rng.uniform(first_lo, first_hi)
    relative = per_persona("last_after_first").astype(bool)
    last = rng.uniform(last_lo, last_hi) + np.where(relative, first, 0.0)
    last = np.clip(np.maximum(last, first), 0, PERIOD_DAYS - 1)
    n_orders = per_persona("min_orders").astype(int) + rng.poisson(per_persona("extra_orders"))

    # -- orders: a day and a minute each -------------------------------------------------
    order_customer = np.repeat(np.arange(n_customers), n_orders)
    offsets = np.repeat(np.cumsum(n_orders) - n_orders, n_orders)
    position = np.arange(len(order_customer)) - offsets
    u = rng.random(len(order_customer))
    u[position == 0] = 0.0
    u[(position == n_orders[order_customer] - 1) & (position > 0)] = 1.0
    order_day = np.floor(first[order_customer] + u * (last - first)[order_customer]).astype(np.int64)
    order_minute = order_day * 1440 + rng.integers(8 * 60, 19 * 60, size=len(order_customer))
    order_persona = persona_of[order_customer]

    # guest orders: no customer id (like a quarter of the real file's rows)
    n_guests = int(round(0.08 * len(order_customer))) if messy else 0
    guest_minute = rng.integers(0, PERIOD_DAYS, n_guests) * 1440 + rng.integers(8 * 60, 19 * 60, n_guests)
    guest_persona = rng.choice(len(personas), size=n_guests, p=shares / shares.sum())

    # cancellations: part of an order sent back a few days later
    returned = rng.random(len(order_customer)) < np.array([p.return_probability for p in personas])[order_persona]
    return_of = np.flatnonzero(returned)
    return_minute = np.minimum(
        order_minute[return_of] + rng.integers(60, 30 * 1440, size=len(return_of)), (PERIOD_DAYS - 1) * 1440 + 19 * 60 - 1
    )

    # one table of invoices: purchases, guest purchases, cancellations
    n_purchase = len(order_customer)
    inv_minute = np.concatenate([order_minute, guest_minute, return_minute])
    inv_customer = np.concatenate([order_customer, np.full(n_guests, -1), order_customer[return_of]])
    inv_persona = np.concatenate([order_persona, guest_persona, order_persona[return_of]])
    inv_cancel = np.concatenate([np.zeros(n_purchase + n_guests, bool), np.ones(len(return_of), bool)])

    # -- lines of the purchase invoices --------------------------------------------------
    codes, names, prices, tiers = _catalogue(rng)
    lines_mean = np.array([p.lines_per_order for p in personas])[inv_persona[: n_purchase + n_guests]]
    n_lines = 1 + rng.poisson(lines_mean - 1)
    line_inv = np.repeat(np.arange(n_purchase + n_guests), n_lines)
    line_persona = inv_persona[line_inv]
    tier_p = np.array([p.price_tiers for p in personas], dtype=float)
    product = _products_for(rng, _pick(rng, tier_p[line_persona]), tiers)
    pack_p = np.array([p.pack_weights for p in personas], dtype=float)
    pack_p /= pack_p.sum(axis=1, keepdims=True)
    quantity = PACK_SIZES[_pick(rng, pack_p[line_persona])]

    # lines of the cancellations: each line of the returned order goes back with chance 1/2
    # (at least one), all or part of its quantity
    line_start = np.cumsum(n_lines) - n_lines
    return_index = np.full(n_purchase + n_guests, -1, dtype=np.int64)
    return_index[return_of] = np.arange(len(return_of))
    first_line = np.arange(len(line_inv)) == line_start[line_inv]
    back = np.flatnonzero((return_index[line_inv] >= 0) & ((rng.random(len(line_inv)) < 0.5) | first_line))
    back_inv = n_purchase + n_guests + return_index[line_inv[back]]
    back_qty = -np.maximum(1, np.round(quantity[back] * rng.choice([1.0, 1.0, 0.5], size=len(back)))).astype(np.int64)

    row_inv = np.concatenate([line_inv, back_inv])
    row_product = np.concatenate([product, product[back]])
    row_qty = np.concatenate([quantity, back_qty]).astype(np.int64)
    row_price = prices[row_product].copy()
    row_desc_missing = np.zeros(len(row_inv), dtype=bool)

    if messy:
        # zero-price adjustment rows (no description, no customer), as in the real file
        n_adjust = max(1, len(row_inv) // 1000)
        adj_inv = rng.choice(n_purchase, size=n_adjust) if n_purchase else np.zeros(0, np.int64)
        row_inv = np.concatenate([row_inv, adj_inv])
        row_product = np.concatenate([row_product, rng.integers(0, len(prices), len(adj_inv))])
        row_qty = np.concatenate([row_qty, rng.choice([-10, -3, 1, 12], size=len(adj_inv))])
        row_price = np.concatenate([row_price, np.zeros(len(adj_inv))])
        row_desc_missing = np.concatenate([row_desc_missing, np.ones(len(adj_inv), bool)])
        adjustment = np.zeros(len(row_inv), dtype=bool)
        adjustment[-len(adj_inv):] = len(adj_inv) > 0
        # a few descriptions lost, and exact duplicate rows
        row_desc_missing |= rng.random(len(row_inv)) < 0.002
        dup = np.flatnonzero(rng.random(len(row_inv)) < 0.005)
        order = np.sort(np.concatenate([np.arange(len(row_inv)), dup]), kind="stable")
        row_inv, row_product, row_qty = row_inv[order], row_product[order], row_qty[order]
        row_price, row_desc_missing, adjustment = row_price[order], row_desc_missing[order], adjustment[order]
    else:
        adjustment = np.zeros(len(row_inv), dtype=bool)

    # -- invoice numbers in time order, rows grouped by invoice ----------------------------
    inv_rank = np.empty(len(inv_minute), dtype=np.int64)
    inv_rank[np.lexsort((inv_cancel, inv_minute))] = np.arange(len(inv_minute))
    row_order = np.lexsort((np.arange(len(row_inv)), inv_rank[row_inv]))
    row_inv, row_product, row_qty = row_inv[row_order], row_product[row_order], row_qty[row_order]
    row_price, row_desc_missing, adjustment = row_price[row_order], row_desc_missing[row_order], adjustment[row_order]

    number = (536365 + inv_rank).astype(str).astype(object)
    number = np.where(inv_cancel, "C" + number, number)
    day_text = pa.array([f"{d.month}/{d.day}/{d.year}" for d in (START_DATE + dt.timedelta(days=i) for i in range(PERIOD_DAYS + 1))])
    minute_text = pa.array([f"{m // 60}:{m % 60:02d}" for m in range(1440)])
    row_minute = inv_minute[row_inv]
    invoice_date = pc.binary_join_element_wise(
        day_text.take(pa.array(row_minute // 1440)), minute_text.take(pa.array(row_minute % 1440)), " "
    )
    row_customer = inv_customer[row_inv]
    no_customer = (row_customer < 0) | adjustment
    customer_column = pa.array(customer_ids[np.maximum(row_customer, 0)], mask=no_customer, type=pa.int64())
    country_index = np.where(row_customer >= 0, country_of[np.maximum(row_customer, 0)], 0)

    table = pa.table(
        {
            "InvoiceNo": pa.array(number.astype(str)).take(pa.array(row_inv)),
            "StockCode": pa.array(codes.astype(str)).take(pa.array(row_product)),
            "Description": pc.if_else(
                pa.array(row_desc_missing), pa.scalar(None, pa.string()), pa.array(names.astype(str)).take(pa.array(row_product))
            ),
            "Quantity": pa.array(row_qty),
            "InvoiceDate": invoice_date,
            "UnitPrice": pa.array(row_price),
            "CustomerID": customer_column,
            "Country": pa.array(country_names.astype(str)).take(pa.array(country_index)),
        }
    )
    truth = pd.DataFrame(
        {"customer_id": customer_ids.astype(str), "persona": np.array([p.name for p in personas])[persona_of]}
    )
    return GeneratedLog(transactions=table, personas=truth, seed=seed)


def write_transactions(table: pa.Table, path: str | Path) -> Path:
    """Write a transactions table (PyArrow or pandas) to CSV, or Parquet for a
    ``.parquet`` path. Like :func:`paradigms.evaluation.write_atomic` it writes a
    temporary file in the same folder and renames it, but streams (logs can be large)."""


    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
    try:
        if path.suffix.lower() in PARQUET_SUFFIXES:
            pq.write_table(table, tmp)
        else:
            with open(tmp, "wb") as fh:  # plain header and values, quotes only where a value needs them
                fh.write((",".join(table.column_names) + "\n").encode())
                try:
                    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
                    pacsv.write_csv(table, fh, write_options=options)
                except pa.ArrowInvalid:
                    fh.seek(0)
                    fh.truncate()
                    pacsv.write_csv(table, fh, write_options=pacsv.WriteOptions(quoting_style="needed"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
