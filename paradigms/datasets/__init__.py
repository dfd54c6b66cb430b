"""Data sets the three paradigms share: the MNIST digits (IDX files, found, checked or downloaded).

Core, below the paradigm packages, so that the same images can be learned from their
labels (supervised), from nothing (unsupervised) and from a reward (reinforcement).
"""
