"""Clustering images without their labels: :class:`DigitClusterer`.

The images are flattened and scaled to 0..1, projected on their first principal
components (PCA: most of what varies between digits in a few dozen numbers), and
then, by ``representation``:

* ``"pca"``: k-means on the principal components, each image's scaled to length 1
  (so k-means groups by the direction of an image's components, the cosine
  between images, not by how much ink it has: on MNIST about 0.556 clustering
  accuracy against 0.545 without the scaling, and 0.535 for k-means on the raw pixels);
* ``"umap"``: UMAP (McInnes et al. 2018, the maintained ``umap-learn``) embeds the
  components in a few dimensions that keep each image's nearest neighbours near,
  which pulls the digits' curved, stretched classes into compact blobs, and
  k-means groups the embedding (on MNIST about 0.8 and more).

New images are assigned to a cluster by the same route: k-means' nearest centre
(``"pca"``), or the clusters of their nearest training images in principal-component
space, by majority among :data:`NEIGHBOURS` (``"umap"``: the same kind of
neighbourhood UMAP itself is built from, at a fraction of ``UMAP.transform``'s cost).

:meth:`DigitClusterer.fit` takes the images and nothing else: there is no place
to pass labels, so no label can shape the clusters (a test checks that passing
them fails). Everything is seeded: the same seed gives the same clusters (UMAP
with a ``random_state`` runs single-threaded to stay reproducible).

Everything runs on one thread: UMAP must, and k-means' OpenMP threads, waiting on
each other on a busy machine, made the 60,000-image PCA fit 87 s with threads
against 9-18 s on one (two loaded cores; both gave 0.556).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from ..errors import ConfigError
from .settings import REPRESENTATIONS

#: Principal components kept (fewer where the images have fewer pixels or there are fewer images).
COMPONENTS = 50
#: Dimensions of the UMAP embedding k-means groups.
EMBEDDING_DIMENSIONS = 5
#: UMAP's neighbourhood size (its default), and the neighbours whose clusters a new image takes by majority.
NEIGHBOURS = 15
#: UMAP's passes over its graph: its own choice for large data, used for small too (it takes 500 there).
UMAP_EPOCHS = 200
#: k-means restarts; the best (lowest inertia) is kept. Inertia is computed without labels.
KMEANS_RESTARTS = 10


def flatten_images(images: np.ndarray) -> np.ndarray:
    """``(n, rows, cols)`` uint8 images (0-255) as ``(n, rows*cols)`` float32 in 0..1."""
    array = np.asarray(images)
    if array.ndim < 2 or len(array) == 0:
        raise ValueError(f"expected a stack of images (n, rows, cols), got shape {array.shape}")
    return array.reshape(len(array), -1).astype(np.float32) / np.float32(255.0)


def unit_length(rows: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (a row of zeros stays zeros)."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


class DigitClusterer:
    """Groups images into ``n_clusters`` clusters from the pixels alone (see the module docstring).

    After :meth:`fit`: ``labels_`` (the cluster of each training image),
    ``n_clusters_``, ``components_`` (principal components kept), ``embedding_``
    (what k-means grouped: the components or the UMAP embedding).
    """

    def __init__(self, n_clusters: int = 10, *, representation: str = "pca", seed: int = 0) -> None:
        if representation not in REPRESENTATIONS:
            raise ValueError(f"representation = {representation!r}: choose one of {', '.join(REPRESENTATIONS)}")
        if n_clusters < 2:
            raise ValueError(f"n_clusters = {n_clusters}: clustering needs at least two clusters")
        self.n_clusters = int(n_clusters)
        self.representation = representation
        self.seed = int(seed)

    def fit(self, images: np.ndarray) -> DigitClusterer:
        """Find the clusters of ``images`` (nothing else: labels have no way in)."""
        pixels = flatten_images(images)
        with threadpool_limits(limits=1):  # see the module docstring: one thread
            return self._fit(pixels)

    def _fit(self, pixels: np.ndarray) -> DigitClusterer:
        from sklearn.cluster import KMeans  # scikit-learn loads on the first fit, not on import
        from sklearn.decomposition import PCA

        if len(pixels) < self.n_clusters:
            raise ValueError(f"{len(pixels)} images cannot make {self.n_clusters} clusters: give more images")
        components = max(1, min(COMPONENTS, pixels.shape[1], len(pixels) - 1))
        self._pca = PCA(components, svd_solver="randomized", random_state=self.seed).fit(pixels)
        projected = self._pca.transform(pixels)
        embedding = self._embed(projected) if self.representation == "umap" else unit_length(projected)
        self._kmeans = KMeans(self.n_clusters, n_init=KMEANS_RESTARTS, random_state=self.seed).fit(embedding)
        self.labels_ = self._kmeans.labels_.astype(np.int64)
        self.n_clusters_ = self.n_clusters
        self.components_ = components
        self.embedding_ = embedding
        #: UMAP cannot place a new image: its neighbours among the training images do (kept for it only)
        self._projected = projected if self.representation == "umap" else None
        self._neighbours: Any = None
        return self

    def _embed(self, projected: np.ndarray) -> np.ndarray:
        import warnings

        try:
            import umap  # umap-learn (and numba) load only when this representation is asked for
        except ImportError as exc:
            raise ConfigError("representation = 'umap' needs umap-learn: pip install 'learning-paradigms[umap]' "
                              "(or use representation = 'pca')") from exc

        neighbours = min(NEIGHBOURS, len(projected) - 1)
        reducer = umap.UMAP(n_neighbors=neighbours, min_dist=0.0, n_components=EMBEDDING_DIMENSIONS,
                            n_epochs=UMAP_EPOCHS, random_state=self.seed)
        with warnings.catch_warnings():  # "n_jobs overridden by setting random_state": the price of reproducibility
            warnings.filterwarnings("ignore", message=".*n_jobs.*", category=UserWarning)
            return np.asarray(reducer.fit_transform(projected), dtype=np.float64)

    def predict(self, images: np.ndarray) -> np.ndarray:
        """The cluster of each of ``images`` (new ones: the training images' clusters are ``labels_``)."""
        if not hasattr(self, "_kmeans"):
            raise RuntimeError("fit the clusterer on images before predicting")
        pixels = flatten_images(images)
        with threadpool_limits(limits=1):
            return self._predict(pixels)

    def _predict(self, pixels: np.ndarray) -> np.ndarray:
        projected = self._pca.transform(pixels)
        if self.representation == "pca":
            return self._kmeans.predict(unit_length(projected)).astype(np.int64)
        if self._neighbours is None:
            assert self._projected is not None  # kept by _fit for UMAP
            from sklearn.neighbors import KNeighborsClassifier

            self._neighbours = KNeighborsClassifier(min(NEIGHBOURS, len(self._projected))).fit(
                self._projected, self.labels_)
        return np.asarray(self._neighbours.predict(projected), dtype=np.int64)
