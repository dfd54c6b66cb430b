"""The unsupervised paradigm's settings and its T, P, E in words.

Every default and every constraint of customer segmentation is written once,
here: the command line (``paradigms run unsupervised --help``), the report's
settings table, the run and :class:`~.estimator.CustomerSegmenter` (whose
parameter defaults and checks come from :class:`UnsupervisedSettings`) all
derive from it. Every other module of the package imports this one; it imports
none of them.

>>> UnsupervisedSettings(k_min=5, k_max=3)
Traceback (most recent call last):
...
paradigms.errors.ConfigError: k_min = 5 is above k_max = 3: give k_min <= k_max
>>> UnsupervisedSettings(algorithm="gmm", criterion="bic").criterion
'bic'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import ConfigError
from ..same_task import DIGITS_KIND
from ..settings import Settings, setting
from ..untrusted import machine_memory

#: What reads a transaction log (see :func:`~.features.load_customers`).
ENGINES = ("auto", "duckdb", "memory")
#: Peak memory of the in-memory engine per line of a log (``benchmarks/bench_logs.py`` at 10 million lines:
#: 283 MB per million Parquet lines, 270 per million CSV lines; CSV is given more room, as issue 20 measured
#: 470 for the reader before). With ``engine="auto"`` a log is read in memory (faster) when its lines times
#: this stays under the memory limit, by DuckDB (bounded) otherwise.
MEMORY_ENGINE_BYTES_PER_ROW = {"parquet": 300, "csv": 500}
#: Without ``--memory-limit``, reading a log may use this share of the machine's memory ...
MEMORY_SHARE = 0.1
#: ... of which this much is left to the process itself (Python, the libraries, the features it gets
#: back): DuckDB's limit covers its own buffers only, and the process measured about 250 MB above it
#: (issue 20: at 100 million lines the process's peak must stay under 2.5 GB on a 24 GB machine) ...
PROCESS_ROOM = 512 << 20
#: ... but DuckDB never gets less than this (room for its buffers).
MEMORY_FLOOR = 1 << 30

#: Clustering algorithms (see :mod:`.model`).
ALGORITHMS = ("kmeans", "gmm", "agglomerative")
#: How k is chosen: the silhouette, Calinski-Harabasz, Davies-Bouldin or (mixture only) BIC.
CRITERIA = ("silhouette", "calinski_harabasz", "davies_bouldin", "bic")
#: Which never-negative features are log-transformed: the skewed ones, all of them, or none.
LOG_TRANSFORMS = ("auto", "all", "none")
#: What the run reads: a transaction log or a per-customer table (``auto``: detected), or the MNIST digits.
KINDS = ("auto", "transactions", "customers", DIGITS_KIND)
#: What the digits are clustered in (see :mod:`.digit_clusters`): principal components, or UMAP's embedding of them.
REPRESENTATIONS = ("pca", "umap")
#: MNIST's training images; the digits' runs fit on at most this many.
MNIST_TRAIN_IMAGES = 60_000

#: The paradigm's name: its registration (``paradigms run unsupervised``) and every Evaluation's ``paradigm``.
NAME = "unsupervised"
TASK = "group customers by their shopping behaviour"
MEASURE = "silhouette of the segments (random labels = 0, best 1); ARI/NMI vs known groups"
#: Largest generated shop: 100,000 customers make about 10 million rows (a 1 GB CSV).
MAX_CUSTOMERS = 100_000
EXPERIENCE = "customers seen"
#: E of a per-row table's run (:func:`experience_for`), and of the digits' run (``kind="digits"``).
ROWS_EXPERIENCE = "rows seen"
DIGITS_EXPERIENCE = "unlabelled training images seen"
FEEDBACK = "none: only the data"
DESCRIPTION = """\
**T** (task): split customers into segments of similar shopping behaviour, with
no expert labels. **P** (measure): the silhouette of the segments, from -1 to 1
(0 = no better than random labels, 1 = tight, well-separated segments); when the
true groups are known (the generator's hidden personas, or a label column you
name) also the adjusted Rand index and normalized mutual information against
them. **E** (experience): customers seen; the learning curve shows what more
customers buy: how well the segments of a model fitted on n customers agree
(adjusted Rand index, mean and spread over a few draws) on a fixed set of
held-out customers with the known groups, or, where none are known, with the
segments of all the data. **Feedback**: none, only the data.

By default a seeded generator writes a realistic one-year transaction log (the
online-retail CSV layout, with cancellations, guest orders and duplicate rows)
to a file, and that file goes through exactly the path a user's CSV takes:
read and clean (a data-quality summary), per-customer RFM and basket features,
log-transform and scaling, choice of k, clustering, profiles.

    paradigms run unsupervised --quick
    paradigms run unsupervised --data online_retail.csv --k 5 --algorithm gmm
"""


def task_for(kind: str, data: str | Path | None) -> str:
    """T in words for what a run reads: customers (a generated shop, or a transaction log,
    ``kind`` ``"transaction log"``), or the rows of a per-row table, which may hold wines
    or tumours as well as customers (``paradigms compare --data TABLE --target COLUMN``).

    >>> task_for("transaction log", None)
    'group customers by their shopping behaviour'
    >>> task_for("per-customer table", "data/wine.csv")
    'group the rows of wine.csv by their columns, without labels'
    """
    if data is None or kind == "transaction log":
        return TASK
    return f"group the rows of {Path(data).name} by their columns, without labels"


def experience_for(kind: str, data: str | Path | None) -> str:
    """E in words, counted in what :func:`task_for` groups: customers, or a table's rows.

    >>> experience_for("transaction log", "orders.csv"), experience_for("per-customer table", "wine.csv")
    ('customers seen', 'rows seen')
    """
    return EXPERIENCE if data is None or kind == "transaction log" else ROWS_EXPERIENCE



@dataclass(frozen=True)
class UnsupervisedSettings(Settings):
    """Settings of the customer-segmentation paradigm (each is a ``--option``).

    The model's settings (``k`` .. ``selection_sample``) are also the parameters
    of :class:`~.estimator.CustomerSegmenter` (``k`` is its ``n_clusters``).
    """

    #: What a run learns from without ``data``, in a tracked run's name (:mod:`paradigms.tracking`).
    DEFAULT_DATA: ClassVar[str] = "generated-customers"

    data: Path | None = setting(
        None, "a transaction log (CSV or Parquet, online-retail layout) or a per-customer table; "
        "none = a generated log with hidden personas",
    )
    customers: int = setting(
        3000, "customers in the generated log (without --data)", min=20, max=MAX_CUSTOMERS, quick=600
    )
    k: int | None = setting(
        None, "number of segments; none = choose it from k_min..k_max (with --kind digits: the number of classes)",
        min=2, max=200,
    )
    k_min: int = setting(2, "smallest k tried when choosing k", min=2, max=50)
    k_max: int = setting(10, "largest k tried when choosing k", min=2, max=50, quick=8)
    algorithm: str = setting("kmeans", "clustering algorithm", choices=ALGORITHMS)
    criterion: str = setting("silhouette", "how k is chosen (bic needs --algorithm gmm)", choices=CRITERIA)
    log_transform: str = setting(
        "auto", "log-transform never-negative features: the skewed ones (auto), all or none", choices=LOG_TRANSFORMS
    )
    silhouette_sample: int = setting(
        10000, "customers the silhouette is computed on (its cost grows with n²)", min=100, max=50_000
    )
    selection_sample: int = setting(
        20000, "customers the choice of k is made on (plenty to tell 2..10 segments apart)", min=100, max=1_000_000
    )
    kind: str = setting(
        "auto", "what --data holds; digits: cluster the MNIST training images without their labels "
        "(P: clustering accuracy on the test images)", choices=KINDS,
    )
    data_dir: Path | None = setting(
        None, "with --kind digits: folder holding the four MNIST IDX files (else $LEARNING_PARADIGMS_DATA, "
        "the user cache, a download; scikit-learn's 8x8 digits where none can be had)",
    )
    representation: str = setting(
        "pca", "with --kind digits: what the images are clustered in: principal components (pca) or "
        "UMAP's embedding of them (umap: far better, and minutes where pca takes seconds)", choices=REPRESENTATIONS,
    )
    digit_images: int = setting(
        MNIST_TRAIN_IMAGES, "with --kind digits: training images clustered (the first of a seeded shuffle)",
        min=100, max=MNIST_TRAIN_IMAGES, quick=10_000,
    )
    columns: str | None = setting(
        None, "column names of a transaction log that differ from the online-retail ones, "
        "e.g. 'customer=Client Ref,date=Order Date' (roles: invoice, stock_code, quantity, date, price, customer)",
    )
    date_format: str | None = setting(None, "date format, e.g. '%d/%m/%Y %H:%M'; none = detected")
    engine: str = setting(
        "auto", "what reads a transaction log: duckdb (streams it in bounded memory), memory (PyArrow and "
        "NumPy, faster, but its memory grows with the lines: about 300 bytes a Parquet line, 500 a CSV line) or "
        "auto (memory when that fits under --memory-limit, told from the file's size before reading)",
        choices=ENGINES,
    )
    memory_limit: str | None = setting(
        None, "memory DuckDB may use reading a transaction log, e.g. '2GB' or '25%' of this machine's; "
        "past it, it spills to disk in the run's folder; none = a tenth of the machine's memory, at least 1GB",
    )
    id_column: str | None = setting(None, "id column of a per-customer table; none = detected (CustomerID, ID, ...)")
    label_column: str | None = setting(
        None, "a column with known groups, to score the segments against (never used for fitting)"
    )
    features: str | None = setting(None, "comma-separated feature columns to use; none = all numeric ones")
    curve_points: int = setting(6, "points on the learning curve (customers seen)", min=2, max=50, quick=4)
    curve_draws: int = setting(
        3, "random draws of customers per point of the learning curve (their spread is the noise)", min=1, max=10
    )
    output_dir: Path | None = setting(
        None, "folder for customer_segments.csv and segment_profiles.csv (and the generated log); none = no files"
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind == DIGITS_KIND and self.data is not None:
            raise ConfigError(f"--kind digits clusters the MNIST images, not --data {self.data}: "
                              "give --data-dir for a folder of MNIST IDX files, or drop --kind digits")
        if self.kind != DIGITS_KIND and self.data_dir is not None:
            raise ConfigError(f"--data-dir {self.data_dir} is for --kind digits (MNIST IDX files); "
                              "a transaction log or customer table is --data")
        if self.k_min > self.k_max:
            raise ConfigError(f"k_min = {self.k_min} is above k_max = {self.k_max}: give k_min <= k_max")
        if self.criterion == "bic" and self.algorithm != "gmm":
            raise ConfigError("criterion = bic needs --algorithm gmm (BIC is a likelihood score of the mixture)")
        if self.data is None and self.kind != DIGITS_KIND:  # the generated shop's size is known before the run: check k against it
            if self.k is not None and self.k > self.customers:
                raise ConfigError(f"k = {self.k} is above customers = {self.customers}: "
                                  "give k <= customers (each segment needs a customer)")
            if self.k is None and self.k_min >= self.customers:
                raise ConfigError(f"k_min = {self.k_min} needs more than {self.customers} customers: "
                                  "lower k_min or generate more customers")

        if self.memory_limit is not None:
            duckdb_memory_limit(self.memory_limit)

    def feature_list(self) -> tuple[str, ...] | None:
        """The ``features`` setting as a tuple of column names (``None``: all numeric columns)."""
        if not self.features:
            return None
        return tuple(f.strip() for f in self.features.split(",") if f.strip()) or None


def duckdb_memory_limit(setting: str | None = None) -> int:
    """Bytes DuckDB may hold: ``setting`` as ``"2GB"``, ``"512MB"`` or ``"25%"`` of the machine's
    memory; by default :data:`MEMORY_SHARE` of it less :data:`PROCESS_ROOM`, at least :data:`MEMORY_FLOOR`.

    >>> duckdb_memory_limit("1.5GB") == int(1.5 * 2**30)
    True
    """
    if setting is None or not str(setting).strip():
        return max(int(machine_memory() * MEMORY_SHARE) - PROCESS_ROOM, MEMORY_FLOOR)
    text = str(setting).strip().upper().replace(" ", "").replace("IB", "B")
    units = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40, "B": 1}
    try:
        if text.endswith("%"):
            share = float(text[:-1]) / 100
            if not 0 < share <= 1:
                raise ValueError
            return int(machine_memory() * share)
        for unit, size in units.items():
            if text.endswith(unit):
                value = int(float(text[: -len(unit)]) * size)
                if value < 64 << 20:
                    raise ValueError
                return value
    except ValueError:
        pass
    raise ConfigError(f"memory_limit {setting!r}: give a size of at least 64MB, e.g. '2GB' or '512MB', "
                      "or a share of this machine's memory, e.g. '25%'")


#: The defaults, for the modules that derive theirs (the estimator, the model's sample sizes).
DEFAULTS = UnsupervisedSettings()
